/* The command map's legend never reaches under the time bar. The legend sits at the map's
   bottom right and grows upwards; the time bar floats over the map's top left. On a wide
   screen they are far apart and the legend may use the map's whole height; on a narrow one
   (1400 px, or the drill-down panel docked) they share columns, and the legend's top must
   stay below the bar. This sets --gc-legend-top on .gc-map-wrap, which assets/style.css
   takes off the legend's max-height (the legend scrolls in itself past that). */
(function () {
  "use strict";
  var GAP_PX = 8;  // between the bar and the legend
  var FREE_TOP_PX = 10;  // the legend's top margin when nothing is above it

  function place(wrap) {
    var bar = wrap.querySelector(".gc-timebar");
    var legend = wrap.querySelector(":scope > .gc-legend");
    if (!bar || !legend) { return; }
    var w = wrap.getBoundingClientRect(), b = bar.getBoundingClientRect();
    var l = legend.getBoundingClientRect();
    var shared = b.width > 0 && b.left < l.right && b.right > l.left;
    var top = shared ? Math.ceil(b.bottom - w.top) + GAP_PX : FREE_TOP_PX;
    var value = top + "px";
    if (wrap.style.getPropertyValue("--gc-legend-top") !== value) {
      wrap.style.setProperty("--gc-legend-top", value);
    }
  }

  var watched = null, watchedParts = [];
  var sizes = window.ResizeObserver ? new window.ResizeObserver(function () {
    if (watched) { place(watched); }
  }) : null;

  function find() {
    var wrap = document.querySelector(".gc-map-wrap");
    if (!wrap || !sizes) { return; }
    var parts = [wrap, wrap.querySelector(".gc-timebar"), wrap.querySelector(".gc-map"),
                 wrap.querySelector(":scope > .gc-legend")];
    if (parts.some(function (p) { return !p; })) { return; }
    if (parts.every(function (p, i) { return p === watchedParts[i]; })) { return; }
    watched = wrap;
    watchedParts = parts;
    sizes.disconnect();
    // The bar, the map (it narrows when the panel docks) and the legend (it grows with the
    // layers drawn at this zoom, or collapses) move the legend or the bar.
    parts.forEach(function (p) { sizes.observe(p); });
    place(wrap);
  }

  new MutationObserver(find).observe(document.documentElement, {childList: true, subtree: true});
  find();
})();
