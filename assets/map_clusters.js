/* Cluster bubbles of the 12345 tickets (dash-leaflet clusterToLayer). A bubble takes the
   colour of the worst ticket inside it, so the loudest thing on the town view is where the
   hall must act: unanswered or overdue (red, cluster-overdue), some still open (amber,
   cluster-open), all solved (muted grey, cluster-solved). Its size grows with the count; its
   title gives the counts by status. Texts come from the layer's hideout (dashboard/map). */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function tally(leaves) {
    var n = {received: 0, responded: 0, solved: 0, overdue: 0};
    leaves.forEach(function (leaf) {
      var p = leaf.properties || {};
      // the 接诉即办 states in the bubble's three groups: waiting (received, returned),
      // in hand (dispatched … submitted), closed
      var group = (p.status === "closed" || p.status === "solved") ? "solved"
        : (p.status === "received" || p.status === "returned") ? "received" : "responded";
      n[group] += 1;
      if (p.overdue) { n.overdue += 1; }
    });
    return n;
  }

  // Overdue, then waiting for dispatch, then in hand, then closed; at most `cap` codes.
  function worstFirst(leaves, cap) {
    function rank(p) {
      if (p.status === "closed" || p.status === "solved") { return 3; }
      if (p.overdue) { return 0; }
      return (p.status === "received" || p.status === "returned") ? 1 : 2;
    }
    return leaves.map(function (leaf) { return leaf.properties || {}; })
      .filter(function (p) { return p.code; })
      .sort(function (a, b) { return rank(a) - rank(b); })
      .slice(0, cap).map(function (p) { return p.code; });
  }

  function statusClass(n) {
    if (n.received > 0 || n.overdue > 0) { return "cluster-overdue"; }
    if (n.responded > 0) { return "cluster-open"; }
    return "cluster-solved";
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  // The page's language: the command map's switch, else the hideout's (print view, wall).
  function pageLang(h) {
    var picked = document.querySelector("#lang-switch input:checked");
    return (picked && picked.value) || h.lang;
  }

  function titleIn(lang, titles, fallback, n) {
    return fill((titles && titles[lang]) || fallback, n);
  }

  // A switch re-titles the bubbles on the map at once, whatever hideout drew them: dash-leaflet
  // drops a hideout change that arrives while the layer's fetch is in flight.
  function retitle(lang) {
    document.querySelectorAll(".gc-cluster").forEach(function (el) {
      var count = el.querySelector(".gc-cluster-count");
      if (!count || !count.dataset.titles) { return; }
      try {
        var n = JSON.parse(count.dataset.n), titles = JSON.parse(count.dataset.titles);
        if (titles[lang]) { el.setAttribute("title", fill(titles[lang], n)); }
      } catch (e) { /* a bubble of another origin: leave it */ }
    });
  }

  // Dash's radio list is a list of options (no native change event): read the choice once
  // the click has been applied.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target && target.closest && target.closest("#lang-switch"))) { return; }
    [0, 100, 400].forEach(function (ms) {
      window.setTimeout(function () {
        var picked = document.querySelector("#lang-switch input:checked");
        if (picked && picked.value) { retitle(picked.value); }
      }, ms);
    });
  }, true);

  window.gridcmd = Object.assign({}, window.gridcmd, {
    clusters: {
      tally: tally,
      worstFirst: worstFirst,
      statusClass: statusClass,
      retitle: retitle,
      clusterToLayer: function (feature, latlng, index, context) {
        var h = (context && context.hideout) || {};
        var props = feature.properties || {};
        var count = props.point_count || 0;
        var leaves = index ? index.getLeaves(props.cluster_id, Infinity) : [];
        var n = tally(leaves);
        n.count = count;
        // the codes a click lists in the ticket panel (dashboard/tickets/): worst first, capped
        props.gc_codes = worstFirst(leaves, 100);
        var cls = statusClass(n);
        // 26 px for a handful, ~46 px for a thousand: the count, not the colour, sets the size.
        var size = Math.round(24 + 7 * Math.log10(Math.max(1, count)));
        var title = titleIn(pageLang(h), h.clusterTitles, h.clusterTitle, n);
        return L.marker(latlng, {
          pane: h.pane,
          title: title,
          icon: L.divIcon({
            className: "gc-cluster " + cls,
            html: '<span class="gc-cluster-count" style="width:' + size + "px;height:" + size
                  + 'px" data-n="' + esc(JSON.stringify(n)) + '" data-titles="'
                  + esc(JSON.stringify(h.clusterTitles || {})) + '">' + esc(count) + "</span>",
            iconSize: [size, size], iconAnchor: [size / 2, size / 2]
          })
        });
      }
    }
  });
})();
