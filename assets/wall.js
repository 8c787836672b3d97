/* The wall display (/wall/): its clock and its point markers. Loaded on every gridcmd page
   (one assets folder), so it only defines functions and touches nothing by itself. */
(function () {
  "use strict";

  var CLOCK = null;  // made on first use: building it costs ~0.1 s on pages with no clock
  var SCALE_PX = 260;  // the scale bar's longest length on a 1920 wall; 4K doubles it

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
      if (document.documentElement.classList.contains("gc-wall-html")) {
        this.options.maxWidth = Math.round(SCALE_PX * Math.max(1, window.innerWidth / 1920));
      }
    });
  })();

  window.gridcmd_wall = {
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
        marker.setRadius(marker.getRadius() * 1.4 * Math.max(1, window.innerWidth / 1920));
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
