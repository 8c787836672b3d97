/* Place-name labels (the `labels` layer): one marker of real text per community, village,
   grid, main road or river, in the language of the hideout, and collision thinning: whenever
   a label pane changes, labels are kept in priority order (communities, main roads, other
   roads, grids) and any label that would overlap one already kept is hidden; a label that
   would sit on a 12345 ticket bubble steps just above, below or beside it. Runs on the
   command map and in the print view alike, before the browser paints (MutationObserver,
   then one animation frame). */
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

  function shifted(box, dx, dy) {
    return {left: box.left + dx, right: box.right + dx, top: box.top + dy,
            bottom: box.bottom + dy};
  }

  // The shift [dx, dy] (px) that takes a label off the ticket bubbles it would sit on: just
  // above or below them, else beside them, the smallest that clears every bubble; [0, 0] when
  // it touches none or none clears (the label then reads over the bubble: halo, higher pane).
  function offBubbles(box, bubbles) {
    var hits = bubbles.filter(function (b) { return overlaps(box, b); });
    if (!hits.length) { return [0, 0]; }
    var up = 0, down = 0, left = 0, right = 0;
    hits.forEach(function (b) {
      up = Math.max(up, box.bottom - b.top + GAP);
      down = Math.max(down, b.bottom - box.top + GAP);
      left = Math.max(left, box.right - b.left + GAP);
      right = Math.max(right, b.right - box.left + GAP);
    });
    var tries = [[0, -up], [0, down], [-left, 0], [right, 0]];
    tries.sort(function (a, b) {
      return Math.abs(a[0]) + Math.abs(a[1]) - Math.abs(b[0]) - Math.abs(b[1]);
    });
    for (var i = 0; i < tries.length; i++) {
      var moved = shifted(box, tries[i][0], tries[i][1]);
      if (!bubbles.some(function (b) { return overlaps(moved, b); })) { return tries[i]; }
    }
    return [0, 0];
  }

  // Read every box first, then write: one layout per thinning, not one per label.
  function thin(pane) {
    var labels = Array.prototype.slice.call(pane.querySelectorAll(".gc-label-text"));
    labels.forEach(function (el) {
      el.parentNode.classList.remove("gc-label-hidden");
      el.style.marginTop = el.style.marginLeft = "";
    });
    var map = pane.closest(".leaflet-container") || document;
    var bubbles = Array.prototype.map.call(map.querySelectorAll(".gc-cluster"), function (el) {
      return el.getBoundingClientRect();
    }).filter(function (b) { return b.width > 0; });
    var boxes = labels.map(function (el) {
      return {el: el, box: el.getBoundingClientRect(),
              priority: +el.getAttribute("data-priority")};
    });
    boxes.sort(function (a, b) { return a.priority - b.priority; });
    var kept = [], moves = [], hidden = [];
    boxes.forEach(function (item) {
      if (!item.box.width) { return; }
      var move = offBubbles(item.box, bubbles);
      var box = shifted(item.box, move[0], move[1]);
      for (var i = 0; i < kept.length; i++) {
        if (overlaps(box, kept[i])) { hidden.push(item.el); return; }
      }
      kept.push(box);
      if (move[0] || move[1]) { moves.push([item.el, move]); }
    });
    hidden.forEach(function (el) { el.parentNode.classList.add("gc-label-hidden"); });
    moves.forEach(function (m) {
      m[0].style.marginLeft = m[1][0] + "px";
      m[0].style.marginTop = m[1][1] + "px";
    });
  }

  function thinAll() {
    Array.prototype.forEach.call(document.querySelectorAll(PANE), thin);
  }

  // Many markers arrive at once (a layer's data, a cluster redraw): thin once per frame,
  // still before the browser paints.
  var pending = false;
  function thinSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; thinAll(); });
  }

  function isBubble(node) {
    return node.nodeType === 1 && node.classList.contains("gc-cluster");
  }

  // Label panes, and ticket bubbles coming or going (labels step off them). Only the changed
  // nodes are looked at, never a pane's subtree: a layer's data adds thousands of paths, one
  // mutation each, before the first paint.
  function touchesLabels(mutation) {
    var target = mutation.target;
    if (target.closest && target.closest(PANE)) { return true; }
    return Array.prototype.some.call(mutation.addedNodes, isBubble)
      || Array.prototype.some.call(mutation.removedNodes, isBubble);
  }

  function watch() {
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i++) {
        if (touchesLabels(mutations[i])) { thinSoon(); return; }
      }
    }).observe(document.body, {childList: true, subtree: true});
    // Names change length with the language: thin again once the switch has applied.
    document.addEventListener("change", function (event) {
      if (event.target && event.target.closest && event.target.closest("#lang-switch")) {
        thinSoon();
      }
    }, true);
    // A zoom moves the labels apart or together without adding any: thin again after it.
    document.addEventListener("transitionend", function (event) {
      if (event.target.classList && event.target.classList.contains("leaflet-map-pane")) {
        thinSoon();
      }
    }, true);
  }

  if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }

  window.gridcmd = Object.assign({}, window.gridcmd, {
    labels: {marker: marker, thin: thinAll}
  });
})();
