/* 接诉即办: every point marker carries its feature's code as a class (gc-code-<code>), so the
   ticket panel, tests and screenshots can find one ticket among thousands. Wraps the point
   layers' pointToLayer (assets/map_points.js, loaded before this file). */
(function () {
  "use strict";
  var points = window.gridcmd && window.gridcmd.points;
  if (!points || points._codeClass) { return; }
  var base = points.pointToLayer;
  points.pointToLayer = function (feature, latlng, context) {
    var layer = base(feature, latlng, context);
    var code = feature && feature.properties && feature.properties.code;
    if (code && layer && layer.options && !layer.options.icon) {
      layer.options.className = (layer.options.className || "") + " gc-code-"
        + String(code).replace(/[^A-Za-z0-9_-]/g, "_");
    }
    return layer;
  };
  points._codeClass = true;
})();
