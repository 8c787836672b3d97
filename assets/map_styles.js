/* Browser-side styling of gridcmd layers. dash-leaflet calls these with the GeoJSON
   component's props as the last argument; `hideout` carries the layer's plain-data style
   (layers/catalog.py), so switching language or style never resends the features. */
(function () {
  "use strict";

  window.gridcmd = Object.assign({}, window.gridcmd, {
    map: {
      style: function (feature, context) {
        var h = (context && context.hideout) || {};
        var spec = h.style || {};
        var props = feature.properties || {};
        var s = Object.assign({}, spec.base || {});
        var value = spec.by ? props[spec.by] : undefined;
        if (spec.classes && value !== undefined && spec.classes[value]) {
          Object.assign(s, spec.classes[value]);
        }
        var flags = spec.flags || {};
        Object.keys(flags).forEach(function (name) {
          if (props[name]) { Object.assign(s, flags[name]); }
        });
        var scale = spec.scale;
        if (scale && (!scale.classes || scale.classes.indexOf(value) >= 0)) {
          var key = String(props[scale.property]);
          Object.keys(scale.options || {}).forEach(function (option) {
            var v = scale.options[option][key];
            if (v !== undefined) { s[option] = v; }
          });
        }
        // Leaflet reads className only when a path is first created; a class per layer lets
        // tests and CSS find each layer's features.
        if (h.className) { s.className = h.className; }
        return s;
      },

      onEachFeature: function (feature, layer, context) {
        var h = (context && context.hideout) || {};
        var props = feature.properties || {};
        var rows = [];
        (h.tooltip || []).forEach(function (pair) {
          var label = pair[0], name = pair[1], v = props[name];
          if (v === null || v === undefined || v === '') { return; }
          var shown = (h.values && h.values[name] && h.values[name][v]) || v;
          rows.push('<b>' + esc(label) + '</b> ' + esc(shown));
        });
        Object.keys(h.flags || {}).forEach(function (name) {
          if (props[name] === true) { rows.push('<b>' + esc(h.flags[name]) + '</b>'); }
        });
        if (h.label) {
          // A name written on the feature itself (the zones): a permanent tooltip of real text,
          // in the snapshots too. Hover details then go to the layer's popup-free title.
          var text = String(h.label).replace(/\{(\w+)\}/g, function (_, name) {
            var v = props[name];
            if (v === null || v === undefined) { return ''; }
            if (typeof v === 'number') { return v.toLocaleString('zh-CN'); }
            return (h.values && h.values[name] && h.values[name][v]) || v;
          });
          layer.bindTooltip(esc(text), {permanent: true, direction: 'center',
                                        className: 'gc-area-label', interactive: false});
          // A ring (the prevention zone) has its centre in the hole: name it on its top band.
          if (props.level === 'prevention' && layer.getBounds) {
            layer.on('add', function () {
              var b = layer.getBounds();
              var top = L.latLng(b.getNorth() - 0.06 * (b.getNorth() - b.getSouth()),
                                 (b.getEast() + b.getWest()) / 2);
              layer.openTooltip(top);
            });
          }
        } else if (rows.length) { layer.bindTooltip(rows.join('<br>'), {sticky: true}); }
        // The feature's code on its SVG element, so tests and scripts can find one region's
        // shape; the element exists only once the layer is on the map, hence the add event.
        var code = props.code || props.cell;
        if (code !== undefined && code !== null) {
          layer.on('add', function () {
            var el = layer.getElement && layer.getElement();
            if (el) { el.setAttribute('data-code', String(code)); }
          });
        }
      }
    }
  });

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
})();
