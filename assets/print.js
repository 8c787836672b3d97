/* The print view's readiness flag (dashboard/export/): window.gridcmdReady turns true once
   every requested layer's data has arrived and, when it has features, been drawn in its pane.
   The exporter waits for it (or for window.gridcmdError) before taking the picture.
   Only active under /print/: the assets folder is shared with the command map. */
(function () {
  "use strict";
  if (!/^\/print(\/|$)/.test(window.location.pathname)) { return; }

  var loaded = {};  // url -> feature count, or -1 when the answer was not GeoJSON
  var nativeFetch = window.fetch.bind(window);
  // dash-leaflet fires no event when a url's data is drawn, so the answers are counted here.
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    var answer = nativeFetch(input, init);
    if (url.indexOf("/api/layers/") >= 0 || url.indexOf("/api/h3/") >= 0) {
      answer.then(function (response) {
        if (!response.ok) { loaded[url] = -1; return null; }
        return response.clone().json().then(function (body) {
          loaded[url] = (body && body.features) ? body.features.length : 0;
        });
      }).catch(function () { loaded[url] = -1; });
    }
    return answer;
  };

  function drawn(spec) {
    var pane = document.querySelector(".leaflet-" + spec.pane + "-pane");
    if (pane && pane.querySelector("path, .leaflet-marker-icon")) { return true; }
    // Cluster bubbles go to Leaflet's marker pane, not the layer's own.
    return spec.clustered && !!document.querySelector(".gc-print-map .leaflet-marker-icon");
  }

  var TILE_WAIT_MS = 10000;  // a slow or unreachable tile server must not hold the picture
  var tilesSince = null;

  // A configured basemap is ready when every tile image has loaded (or failed: complete too).
  function tilesReady(root) {
    if (root.getAttribute("data-tiles") !== "true") { return true; }
    tilesSince = tilesSince || Date.now();
    if (Date.now() - tilesSince > TILE_WAIT_MS) { return true; }
    var tiles = document.querySelectorAll(".gc-print-map img.leaflet-tile");
    if (!tiles.length) { return false; }
    for (var i = 0; i < tiles.length; i++) {
      if (!tiles[i].complete) { return false; }
    }
    return true;
  }

  function state() {
    var root = document.getElementById("gc-print");
    if (!root) { return "wait"; }
    var error = root.getAttribute("data-error");
    if (error) { window.gridcmdError = error; return "failed"; }
    if (document.fonts && document.fonts.status !== "loaded") { return "wait"; }
    var specs = JSON.parse(root.getAttribute("data-layers") || "[]");
    for (var i = 0; i < specs.length; i++) {
      var n = loaded[specs[i].url];
      if (n === undefined) { return "wait"; }
      if (n < 0) { window.gridcmdError = "layer " + specs[i].id + ": data request failed"; return "failed"; }
      if (n > 0 && !drawn(specs[i])) { return "wait"; }
    }
    return tilesReady(root) ? "ready" : "wait";
  }

  var timer = window.setInterval(function () {
    var now = state();
    if (now === "wait") { return; }
    window.clearInterval(timer);
    if (now !== "ready") { return; }
    // Two frames: the last layer's paths are in the DOM; let the browser paint them.
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        window.gridcmdReady = true;
        document.getElementById("gc-print").setAttribute("data-ready", "true");
      });
    });
  }, 25);
})();
