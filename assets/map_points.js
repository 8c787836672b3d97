/* Markers of gridcmd's point layers (units, tickets, cases, resources, staff). dash-leaflet
   calls pointToLayer(feature, latlng, context); the layer's plain-data style arrives in
   context.hideout (layers/catalog.py), the same spec gridcmd.map.style reads for polygons.
   A separate namespace: map_styles.js replaces window.gridcmd.map when it loads. */
(function () {
  "use strict";

  function classOf(spec, props) {
    var value = spec.by ? props[spec.by] : undefined;
    return (spec.classes && value !== undefined && spec.classes[value]) || {};
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  window.gridcmd = Object.assign({}, window.gridcmd, {
    points: {
      pointToLayer: function (feature, latlng, context) {
        var h = (context && context.hideout) || {};
        var spec = h.style || {};
        var props = feature.properties || {};
        var cls = classOf(spec, props);
        var s = Object.assign({}, spec.base || {}, cls);
        if (h.pane) { s.pane = h.pane; }
        if (spec.marker === "label") {  // place names: assets/map_labels.js
          return window.gridcmd.labels.marker(feature, latlng, h);
        }
        if (spec.marker === "glyph") {
          // A small square badge with one character: no icon files, works offline.
          var glyph = (cls.glyph && (cls.glyph[h.lang] || cls.glyph.zh)) || "?";
          var kind = spec.by ? props[spec.by] : "";
          var size = s.size || 18;
          return L.marker(latlng, {
            pane: s.pane,
            icon: L.divIcon({
              className: "gc-feature gc-marker " + (h.className || "") + " gc-kind-" + kind,
              html: '<span class="gc-glyph" style="background:' + esc(s.fillColor || "#555")
                    + ";width:" + size + "px;height:" + size + "px;font-size:"
                    + Math.round(size * 0.66) + 'px">' + esc(glyph) + "</span>",
              iconSize: [size, size], iconAnchor: [size / 2, size / 2]
            })
          });
        }
        var fade = spec.fade;
        if (fade && typeof props[fade.property] === "number") {
          // Recent features full strength, old ones down to fade.min (never invisible).
          var r = Math.max(0, Math.min(1, props[fade.property]));
          var base = s.fillOpacity === undefined ? 1 : s.fillOpacity;
          s.fillOpacity = base * (fade.min + (1 - fade.min) * r);
          s.opacity = Math.max(fade.min, r);
        }
        delete s.glyph;
        if (h.className) { s.className = h.className; }
        return L.circleMarker(latlng, s);
      }
    }
  });
})();
