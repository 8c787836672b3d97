/* Place-name labels (the `labels` layer): one marker of real text per community, village,
   grid, main road or river, in the language of the hideout, and collision thinning: whenever
   a label pane changes, labels are kept in priority order (communities, main roads, other
   roads, grids) and any label that would overlap one already kept is hidden. Runs on the
   command map and in the print view alike, before the browser paints (MutationObserver). */
(function () {
  "use strict";

  var PANE = ".leaflet-gc-labels-pane";
  var GAP = 3;  // px of air kept around each label

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  // Both names are in the marker; CSS shows the one of the page's language (the language
  // switch then needs no redraw), and the print view's language by the marker's class.
  function marker(feature, latlng, h) {
    var p = feature.properties || {};
    var lang = h.lang === "en" ? "en" : "zh";
    return L.marker(latlng, {
      pane: h.pane, interactive: false, keyboard: false,
      icon: L.divIcon({
        className: "gc-label gc-label-lang-" + lang + " gc-label-" + esc(p.kind || "place"),
        html: '<span class="gc-label-text" data-priority="' + esc(p.priority || 9) + '">'
              + '<span class="gc-name-zh">' + esc(p.name || "") + "</span>"
              + '<span class="gc-name-en">' + esc(p.name_en || p.name || "") + "</span></span>",
        iconSize: null
      })
    });
  }

  function overlaps(a, b) {
    return !(a.right + GAP <= b.left || b.right + GAP <= a.left
             || a.bottom + GAP <= b.top || b.bottom + GAP <= a.top);
  }

  function thin(pane) {
    var labels = Array.prototype.slice.call(pane.querySelectorAll(".gc-label-text"));
    labels.forEach(function (el) { el.parentNode.classList.remove("gc-label-hidden"); });
    labels.sort(function (a, b) {
      return (+a.getAttribute("data-priority")) - (+b.getAttribute("data-priority"));
    });
    var kept = [];
    labels.forEach(function (el) {
      var box = el.getBoundingClientRect();
      if (!box.width) { return; }
      for (var i = 0; i < kept.length; i++) {
        if (overlaps(box, kept[i])) { el.parentNode.classList.add("gc-label-hidden"); return; }
      }
      kept.push(box);
    });
  }

  function thinAll() {
    Array.prototype.forEach.call(document.querySelectorAll(PANE), thin);
  }

  function watch() {
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i++) {
        var target = mutations[i].target;
        if (target.closest && target.closest(PANE)) { thinAll(); return; }
      }
    }).observe(document.body, {childList: true, subtree: true});
    // Names change length with the language: thin again once the switch has applied.
    document.addEventListener("change", function (event) {
      if (event.target && event.target.closest && event.target.closest("#lang-switch")) {
        window.requestAnimationFrame(thinAll);
      }
    }, true);
    // A zoom moves the labels apart or together without adding any: thin again after it.
    document.addEventListener("transitionend", function (event) {
      if (event.target.classList && event.target.classList.contains("leaflet-map-pane")) {
        thinAll();
      }
    }, true);
  }

  if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }

  window.gridcmd = Object.assign({}, window.gridcmd, {
    labels: {marker: marker, thin: thinAll}
  });
})();
