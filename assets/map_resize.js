/* Leaflet measures its container only on window resizes. The command map's container shrinks
   when the drill-down panel or the operations drawer docks beside it (assets/style.css), so
   every map watches its own size and re-measures, keeping what it draws where it was on the
   screen (the panel docks on the right, the drawer on the left).

   A fly to a place (dashboard/map/flyto.py, the `viewport` prop) must end clear of what lies
   over the map and of what docks beside it:
   - boxes over the map's left side (the containment-zones box) widen the fly's left padding,
     the time bar over its top the top padding, and the batch-dispatch box over its bottom
     left the bottom padding, measured when the fly starts;
   - the drill-down panel usually docks a moment after the fly started (its callback follows
     the one that flies), which narrows the map mid-flight: a size change soon after a fly
     flies again to the same bounds with the new size, so the place ends in the visible map
     rather than where the wide map's centre would have put it (under the zones box). */
(function () {
  "use strict";

  var LEFT_OVERLAYS = ".gc-zone-box.gc-open";  // absolutely placed over the map's left side
  var TOP_OVERLAYS = ".gc-timebar";  // over the map's top (the time bar and its histogram)
  var BOTTOM_OVERLAYS = ".gc-ticket-batch.gc-open";  // over the map's bottom left
  var MARGIN_PX = 16;  // between such a box and the target
  var MIN_VISIBLE_PX = 120;  // the box's padding never leaves the target less width than this
  var REFIT_MS = 3000;  // a size change this soon after a fly re-flies to its bounds

  function over(r, box) {
    return r.width > 0 && r.left < box.right && r.right > box.left &&
           r.top < box.bottom && r.bottom > box.top;
  }

  // [[left, top], [right, bottom]] padding of a fly: the given one, widened for the boxes
  // over the map.
  function overlayPadding(map, topLeft, bottomRight) {
    var box = map.getContainer().getBoundingClientRect();
    var left = topLeft[0], top = topLeft[1], bottom = bottomRight[1];
    var nodes = document.querySelectorAll(LEFT_OVERLAYS);
    for (var i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      if (over(r, box)) { left = Math.max(left, Math.round(r.right - box.left) + MARGIN_PX); }
    }
    nodes = document.querySelectorAll(TOP_OVERLAYS);
    for (var j = 0; j < nodes.length; j++) {
      var t = nodes[j].getBoundingClientRect();
      if (over(t, box)) { top = Math.max(top, Math.round(t.bottom - box.top) + MARGIN_PX); }
    }
    nodes = document.querySelectorAll(BOTTOM_OVERLAYS);
    for (var k = 0; k < nodes.length; k++) {
      var u = nodes[k].getBoundingClientRect();
      if (over(u, box)) { bottom = Math.max(bottom, Math.round(box.bottom - u.top) + MARGIN_PX); }
    }
    left = Math.min(left, box.width - bottomRight[0] - MIN_VISIBLE_PX);
    top = Math.min(top, box.height - bottom - MIN_VISIBLE_PX);
    bottom = Math.min(bottom, box.height - top - MIN_VISIBLE_PX);
    return [[Math.max(left, topLeft[0]), Math.max(top, topLeft[1])],
            [bottomRight[0], Math.max(bottom, bottomRight[1])]];
  }

  function install() {
    if (!window.L || !window.L.Map) { window.setTimeout(install, 30); return; }
    var flyToBounds = window.L.Map.prototype.flyToBounds;
    window.L.Map.prototype.flyToBounds = function (bounds, options) {
      var opts = Object.assign({}, options);
      var topLeft = opts.paddingTopLeft || opts.padding || [0, 0];
      var bottomRight = opts.paddingBottomRight || opts.padding || [0, 0];
      if (this._loaded) {
        var padding = overlayPadding(this, [topLeft[0], topLeft[1]],
                                     [bottomRight[0], bottomRight[1]]);
        opts.paddingTopLeft = padding[0];
        opts.paddingBottomRight = padding[1];
      }
      if (!this._gcRefitting) {
        this._gcFit = {bounds: bounds, options: options, until: Date.now() + REFIT_MS};
      }
      return flyToBounds.call(this, bounds, opts);
    };
    window.L.Map.addInitHook(function () {
      var map = this;
      if (!window.ResizeObserver) { return; }
      var edge = null;  // the container's last place on the screen
      new window.ResizeObserver(function () {
        var now = map.getContainer().getBoundingClientRect();
        var moved = edge ? [now.left - edge.left, now.top - edge.top] : [0, 0];
        edge = now;
        if (!map._loaded) { return; }
        var before = map.getSize();
        var container = map.getContainer();
        // The observer's first call (and any whose size Leaflet already has) changes nothing:
        // invalidateSize would still drop the exact centre Leaflet keeps, so dash-leaflet would
        // report a re-rounded centre and bounds as a move, and every view callback would run
        // at load for a map that did not move.
        if (before.x === container.clientWidth && before.y === container.clientHeight &&
            !moved[0] && !moved[1]) { return; }
        map.invalidateSize({pan: false});
        // A drawer docking on the left moves the map's left edge: keep what is drawn where it
        // was on the screen (the selection stays put, rather than sliding under the legend).
        if (moved[0] || moved[1]) { map.panBy(moved, {animate: false}); }
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
