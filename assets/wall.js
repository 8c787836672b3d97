/* The wall display (/wall/): its clock and its point markers. Linked on the wall only (the
   command map and the print view skip it, dashboard/dash_mount.py); it defines functions and
   touches nothing by itself. */
(function () {
  "use strict";

  var CLOCK = null;  // made on first use: building it costs ~0.1 s on pages with no clock
  var SCALE_PX = 260;  // the scale bar's longest length on a 1920 wall; 4K doubles it
  var LEAFLET_WEIGHT = 3;  // Leaflet's own line weight when a style names none

  // The wall's one size factor: 1 on a 1920 wall, 2 on a 4K one (never below 1). The scale
  // bar's length, the markers, the line weights and the legend (the CSS variable
  // --gc-wall-k, assets/wall.css) all grow by it, so a 4K wall is the 1080p wall twice as large.
  function sizeFactor() { return Math.max(1, window.innerWidth / 1920); }

  function isWall() { return document.documentElement.classList.contains("gc-wall-html"); }

  (function cssFactor() {
    if (!isWall()) { return; }
    var set = function () {
      document.documentElement.style.setProperty("--gc-wall-k", String(sizeFactor()));
    };
    set();
    window.addEventListener("resize", set);
  })();

  // A path style with its line weight (and dashes) grown by the size factor.
  function thicker(style) {
    var k = sizeFactor();
    if (k === 1) { return style; }
    var s = Object.assign({}, style);
    s.weight = (s.weight === undefined ? LEAFLET_WEIGHT : s.weight) * k;
    if (typeof s.dashArray === "string") {
      s.dashArray = s.dashArray.split(/[ ,]+/).map(function (v) {
        return String(parseFloat(v) * k);
      }).join(" ");
    }
    return s;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    gridcmd_wall: {
      // The hall's clock is town time whatever the kiosk's own time zone.
      clock: function () {
        CLOCK = CLOCK || new Intl.DateTimeFormat("zh-CN", {
          timeZone: "Asia/Shanghai", hour12: false,
          hour: "2-digit", minute: "2-digit", second: "2-digit"
        });
        return CLOCK.format(new Date());
      }
    }
  });

  // Leaflet's scale bar is at most 100 px long: a speck on a wall. On the wall's page only,
  // it grows with the screen, as the wall's type does.
  (function scaleBar() {
    if (!window.L || !window.L.Control || !window.L.Control.Scale) {
      window.setTimeout(scaleBar, 30);
      return;
    }
    window.L.Control.Scale.addInitHook(function () {
      if (isWall()) {
        this.options.maxWidth = Math.round(SCALE_PX * sizeFactor());
      }
    });
  })();

  window.gridcmd_wall = {
    // The map's styles (assets/map_styles.js, map_h3.js) with line weights grown for the
    // wall: the town boundary and grid outlines keep their width relative to the screen.
    style: function (feature, context) {
      return thicker(window.gridcmd.map.style(feature, context));
    },
    h3Style: function (feature, context) {
      return thicker(window.gridcmd.h3.style(feature, context));
    },
    // Cases named in hideout.alerts pulse; the marker itself comes from gridcmd.points.
    pointToLayer: function (feature, latlng, context) {
      var h = Object.assign({}, (context && context.hideout) || {});
      var code = (feature.properties || {}).code;
      if (h.alerts && h.alerts.indexOf(code) >= 0) {
        h.className = (h.className || "") + " gc-wall-pulse";
      }
      var marker = window.gridcmd.points.pointToLayer(feature, latlng, {hideout: h});
      // Leaflet sizes markers in CSS pixels: grow them with the wall, as the text grows.
      if (marker.setRadius) {
        marker.setRadius(marker.getRadius() * 1.4 * sizeFactor());
      }
      if (marker.setStyle && marker.options && marker.options.weight !== undefined) {
        marker.setStyle({weight: marker.options.weight * sizeFactor()});
      }
      return marker;
    },
    // The cases view's counts per community/village as text on the map ("后银子村 12").
    labelToLayer: function (feature, latlng, context) {
      var p = feature.properties || {};
      var h = (context && context.hideout) || {};
      var box = document.createElement("span");
      box.className = "gc-wall-area-label" + (p.suppressed ? " gc-wall-area-label-few" : "");
      var name = document.createElement("span");
      name.textContent = p.name || "";
      var count = document.createElement("b");
      count.textContent = p.label || "";
      box.appendChild(name);
      box.appendChild(count);
      return L.marker(latlng, {
        pane: h.pane, interactive: false, keyboard: false,
        icon: L.divIcon({className: "gc-wall-area-icon", html: box.outerHTML,
                         iconSize: null})
      });
    }
  };
})();
