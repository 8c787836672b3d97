/* The H3 overlay (dashboard/h3_view.py): cells coloured by class breaks held in `hideout`,
   privacy-suppressed cells (value null, fewer than 5) in grey with "<5" in their tooltip.
   A separate namespace: map_styles.js replaces window.gridcmd.map when it loads. */
(function () {
  "use strict";

  function colourOf(value, h) {
    if (value === null || value === undefined) { return h.nullColour || "#9e9e9e"; }
    var breaks = h.breaks || [], colours = h.colours || ["#999999"], i = 0;
    while (i < breaks.length && value >= breaks[i]) { i += 1; }
    return colours[Math.min(i, colours.length - 1)];
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  window.gridcmd = Object.assign({}, window.gridcmd, {
    h3: {
      style: function (feature, context) {
        var h = (context && context.hideout) || {};
        var value = (feature.properties || {}).value;
        var suppressed = value === null || value === undefined;
        return {
          className: h.className, color: "#ffffff", weight: 0.8, opacity: 0.9,
          fillColor: colourOf(value, h), fillOpacity: suppressed ? 0.45 : 0.7,
          dashArray: suppressed ? "3 3" : null
        };
      },

      onEachFeature: function (feature, layer, context) {
        var h = (context && context.hideout) || {};
        var props = feature.properties || {};
        var v = props.value, shown;
        if (v === null || v === undefined) {
          shown = esc(props.label || "<5") + " · " + esc(h.suppressed || "");
        } else {
          var i = 0, breaks = h.breaks || [];
          while (i < breaks.length && v >= breaks[i]) { i += 1; }
          var name = (h.names || [])[i];
          shown = esc(typeof v === "number" ? v.toLocaleString() : v) + " " + esc(h.unit || "")
                  + (name ? " (" + esc(name) + ")" : "");
        }
        layer.bindTooltip("<b>" + esc(h.title || "") + "</b> " + shown, {sticky: true});
      }
    }
  });
})();
