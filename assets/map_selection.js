/* The persistent highlight of the selection (dashboard/map/selection.py): a bright, thick,
   shadowed outline that stays after the mouse leaves; points (a KPI tile's cases or tickets)
   get a ring. Not interactive: clicks go through to the layers underneath. */
(function () {
  "use strict";

  var LINE = {color: "#00e5ff", weight: 5, opacity: 1, fillColor: "#00e5ff",
              fillOpacity: 0.04, className: "gc-selection", interactive: false};

  window.gridcmd = Object.assign({}, window.gridcmd, {
    selection: {
      style: function () { return Object.assign({}, LINE); },
      pointToLayer: function (feature, latlng, context) {
        var h = (context && context.hideout) || {};
        return L.circleMarker(latlng, Object.assign({}, LINE, {
          radius: 10, weight: 4, fillOpacity: 0, pane: h.pane}));
      }
    }
  });
})();
