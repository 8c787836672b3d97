/* Leaflet measures its container only on window resizes. The command map's container shrinks
   when the drill-down panel or the operations drawer docks beside it (assets/style.css), so
   every map watches its own size and re-measures, keeping its top-left corner in place.

   A fly to a place (dashboard/map/flyto.py, the `viewport` prop) must end clear of what lies
   over the map and of what docks beside it:
   - boxes over the map's left side (the containment-zones box) widen the fly's left padding,
     measured when the fly starts;
   - the drill-down panel usually docks a moment after the fly started (its callback follows
     the one that flies), which narrows the map mid-flight: a size change soon after a fly
     flies again to the same bounds with the new size, so the place ends in the visible map
     rather than where the wide map's centre would have put it (under the zones box). */
(function () {
  "use strict";

  var LEFT_OVERLAYS = ".gc-zone-box.gc-open";  // absolutely placed over the map's left side
  var MARGIN_PX = 16;  // between such a box and the target
  var MIN_VISIBLE_PX = 120;  // the box's padding never leaves the target less width than this
  var REFIT_MS = 3000;  // a size change this soon after a fly re-flies to its bounds

  function overlayPadding(map, topLeft, bottomRight) {
    var box = map.getContainer().getBoundingClientRect();
    var left = topLeft[0];
    var nodes = document.querySelectorAll(LEFT_OVERLAYS);
    for (var i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      var overlaps = r.width > 0 && r.left < box.right && r.right > box.left &&
                     r.top < box.bottom && r.bottom > box.top;
      if (overlaps) { left = Math.max(left, Math.round(r.right - box.left) + MARGIN_PX); }
    }
    left = Math.min(left, box.width - bottomRight[0] - MIN_VISIBLE_PX);
    return [Math.max(left, topLeft[0]), topLeft[1]];
  }

  function install() {
    if (!window.L || !window.L.Map) { window.setTimeout(install, 30); return; }
    var flyToBounds = window.L.Map.prototype.flyToBounds;
    window.L.Map.prototype.flyToBounds = function (bounds, options) {
      var opts = Object.assign({}, options);
      var topLeft = opts.paddingTopLeft || opts.padding || [0, 0];
      var bottomRight = opts.paddingBottomRight || opts.padding || [0, 0];
      if (this._loaded) {
        opts.paddingTopLeft = overlayPadding(this, [topLeft[0], topLeft[1]],
                                             [bottomRight[0], bottomRight[1]]);
        opts.paddingBottomRight = [bottomRight[0], bottomRight[1]];
      }
      if (!this._gcRefitting) {
        this._gcFit = {bounds: bounds, options: options, until: Date.now() + REFIT_MS};
      }
      return flyToBounds.call(this, bounds, opts);
    };
    window.L.Map.addInitHook(function () {
      var map = this;
      if (!window.ResizeObserver) { return; }
      new window.ResizeObserver(function () {
        if (!map._loaded) { return; }
        var before = map.getSize();
        map.invalidateSize({pan: false});
        var fit = map._gcFit;
        if (fit && Date.now() < fit.until && !before.equals(map.getSize())) {
          map._gcRefitting = true;
          try { map.flyToBounds(fit.bounds, fit.options); } finally { map._gcRefitting = false; }
        }
      }).observe(map.getContainer());
    });
  }
  install();
})();
