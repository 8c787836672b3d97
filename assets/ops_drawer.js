// The operations drawer (运行) opens and closes in the browser: no server round trip, so it
// answers at once even while the map's layers are loading (dashboard/ops/callbacks.py).
(function () {
  "use strict";
  var CLOSED = "gc-ops-drawer", OPEN = "gc-ops-drawer gc-ops-open";

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    gridcmd_ops: {
      // (button clicks, close clicks, open now) -> [open, drawer class]
      toggle: function (_opened, _closed, isOpen) {
        var ctx = window.dash_clientside.callback_context;
        var byButton = ctx.triggered.some(function (t) {
          return t.prop_id === "ops-button.n_clicks";
        });
        var nowOpen = byButton ? !isOpen : false;
        return [nowOpen, nowOpen ? OPEN : CLOSED];
      }
    }
  });
})();
