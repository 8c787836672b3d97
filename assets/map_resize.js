/* Leaflet measures its container only on window resizes. The command map's container shrinks
   when the drill-down panel or the operations drawer docks beside it (assets/style.css), so
   every map watches its own size and re-measures, keeping its top-left corner in place. */
(function () {
  "use strict";

  function install() {
    if (!window.L || !window.L.Map) { window.setTimeout(install, 30); return; }
    window.L.Map.addInitHook(function () {
      var map = this;
      if (!window.ResizeObserver) { return; }
      new window.ResizeObserver(function () {
        if (map._loaded) { map.invalidateSize({pan: false}); }
      }).observe(map.getContainer());
    });
  }
  install();
})();
