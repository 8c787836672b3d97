/* The time bar's histogram (dashboard/map/timebar.py): one bar per play day, tickets
   (grey-blue) under cases (red), drawn here from the element's attributes rather than as Dash
   components (sixty of them, three elements each, cost the page a fifth of a second to take
   in at load):
     data-days   JSON [[day, cases, tickets, cases' height px, tickets' height px], …]
     data-title  a bar's title, "{day}：病例 {cases} · 诉求 {tickets}" (the language switch
                 re-writes it, and the bars' titles follow).
   React gives the element no children of its own, so the bars drawn here are left alone. */
(function () {
  "use strict";
  var ID = "time-histogram";  // dashboard/map/ids.py TIME_HISTOGRAM

  function bar(cls, height) {
    var part = document.createElement("div");
    part.className = cls;
    part.style.height = height + "px";
    return part;
  }

  function draw(box) {
    var days;
    try { days = JSON.parse(box.getAttribute("data-days") || "[]"); } catch (e) { days = []; }
    var template = box.getAttribute("data-title") || "";
    var drawn = document.createDocumentFragment();
    days.forEach(function (d) {
      var day = document.createElement("div");
      day.className = "gc-hist-day";
      day.title = template.replace("{day}", d[0]).replace("{cases}", d[1])
        .replace("{tickets}", d[2]);
      day.appendChild(bar("gc-hist-cases", d[3]));
      day.appendChild(bar("gc-hist-tickets", d[4]));
      drawn.appendChild(day);
    });
    box.replaceChildren(drawn);
    box.setAttribute("data-drawn", String(days.length));
  }

  var watched = null;
  var attributes = new MutationObserver(function () { if (watched) { draw(watched); } });

  function find() {
    var box = document.getElementById(ID);
    if (box === watched) { return; }
    watched = box;
    attributes.disconnect();
    if (box) {
      draw(box);
      attributes.observe(box, {attributes: true, attributeFilter: ["data-days", "data-title"]});
    }
  }

  new MutationObserver(find).observe(document.documentElement, {childList: true, subtree: true});
  find();
})();
