// The map's legend collapses to its button and opens again in the browser: no server round
// trip, so it answers at once even while the map's layers are loading
// (dashboard/map/callbacks.py; the button's two words are dashboard/map/legend.py's).
(function () {
  "use strict";
  var OPEN = "gc-legend", COLLAPSED = "gc-legend gc-legend-collapsed";

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    gridcmd_legend: {
      // (button clicks) -> legend box class: an odd count of clicks collapses it
      toggle: function (clicks) {
        return clicks && clicks % 2 === 1 ? COLLAPSED : OPEN;
      }
    }
  });
})();
