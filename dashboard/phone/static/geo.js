/* Plane geometry for the phone: distance and bearing (WGS84, spherical), point in a GeoJSON
   polygon, and a small SVG map of my grids (no tiles, nothing from the internet). */
"use strict";
(function () {
  const R = 6371008.8;
  const rad = (d) => d * Math.PI / 180;

  function distance(a, b) {  /* metres between {lat, lng} points (haversine) */
    const dLat = rad(b.lat - a.lat), dLng = rad(b.lng - a.lng);
    const h = Math.sin(dLat / 2) ** 2 +
      Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function bearing(a, b) {  /* degrees clockwise from north, from a to b */
    const y = Math.sin(rad(b.lng - a.lng)) * Math.cos(rad(b.lat));
    const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) -
      Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lng - a.lng));
    return (Math.atan2(y, x) * 180 / Math.PI + 360) % 360;
  }

  const COMPASS = {zh: ["北", "东北", "东", "东南", "南", "西南", "西", "西北"],
                   en: ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]};
  function compass(deg, lang) {
    return (COMPASS[lang] || COMPASS.zh)[Math.round(deg / 45) % 8];
  }

  function inRing(lng, lat, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }
  function inPolygon(lng, lat, rings) {
    return inRing(lng, lat, rings[0]) && !rings.slice(1).some((r) => inRing(lng, lat, r));
  }
  function inGeometry(point, geom) {  /* {lat, lng} inside a GeoJSON Polygon/MultiPolygon */
    if (!geom) return false;
    if (geom.type === "Polygon") return inPolygon(point.lng, point.lat, geom.coordinates);
    if (geom.type === "MultiPolygon") {
      return geom.coordinates.some((p) => inPolygon(point.lng, point.lat, p));
    }
    return false;
  }

  /* A map of `grids` in an SVG of width × height: a local equirectangular view that fits the
     grids and `points`; returns {svg, toXY, toLatLng}. */
  function svgMap(grids, points, width, height) {
    const ns = "http://www.w3.org/2000/svg";
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    const grow = (lng, lat) => { w = Math.min(w, lng); e = Math.max(e, lng);
                                 s = Math.min(s, lat); n = Math.max(n, lat); };
    grids.forEach((g) => g.bbox && (grow(g.bbox[0], g.bbox[1]), grow(g.bbox[2], g.bbox[3])));
    points.filter(Boolean).forEach((p) => grow(p.lng, p.lat));
    if (!isFinite(w)) { w = 116.55; e = 116.56; s = 39.74; n = 39.75; }
    const kx = Math.cos(rad((s + n) / 2));
    let spanX = Math.max((e - w) * kx, 0.0005), spanY = Math.max(n - s, 0.0005);
    const pad = 0.12, scale = Math.min(width / (spanX * (1 + 2 * pad)),
                                       height / (spanY * (1 + 2 * pad)));
    const cx = (w + e) / 2, cy = (s + n) / 2;
    const toXY = (p) => [width / 2 + (p.lng - cx) * kx * scale, height / 2 - (p.lat - cy) * scale];
    const toLatLng = (x, y) => ({lng: cx + (x - width / 2) / (kx * scale),
                                 lat: cy - (y - height / 2) / scale});
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("class", "map");
    const ringPath = (ring) => ring.map(([lng, lat], i) => {
      const [x, y] = toXY({lng, lat});
      return `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    }).join("") + "Z";
    grids.forEach((g) => {
      const polys = !g.geometry ? [] : g.geometry.type === "Polygon" ? [g.geometry.coordinates]
        : g.geometry.coordinates;
      polys.forEach((rings) => {
        const path = document.createElementNS(ns, "path");
        path.setAttribute("d", rings.map(ringPath).join(""));
        path.setAttribute("class", "grid");
        path.setAttribute("fill-rule", "evenodd");
        svg.appendChild(path);
      });
    });
    return {svg, toXY, toLatLng, scale, kx,
            circle(p, r, cls) {
              const c = document.createElementNS(ns, "circle");
              const [x, y] = toXY(p);
              c.setAttribute("cx", x); c.setAttribute("cy", y); c.setAttribute("r", r);
              c.setAttribute("class", cls); svg.appendChild(c); return c;
            }};
  }

  self.GcGeo = {distance, bearing, compass, inGeometry, svgMap};
})();
