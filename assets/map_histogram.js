/* The time bar's histogram (dashboard/map/timebar.py): one bar per play day, tickets
   (grey-blue) under cases (red), drawn here from the element's attributes rather than as Dash
   components (sixty of them, three elements each, cost the page a fifth of a second to take
   in at load):
     data-days   JSON [[day, cases, tickets, cases' height px, tickets' height px], …]
     data-title  a bar's title, "{day}：病例 {cases} · 诉求 {tickets}" (the language switch
                 re-writes it, and the bars' titles follow).
     data-window JSON {"since", "until"}: the window the map shows (the time bar's callback
                 writes it). Days outside it are drawn faint, so the timeline says which days
                 the map holds; while the window is not one day (a preset or a range, not the
                 playback) the slider's handle is hidden: it would otherwise sit on the first
                 play day, weeks before the window the label names.
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

  function parse(text, fallback) {
    try { return JSON.parse(text || "") || fallback; } catch (e) { return fallback; }
  }

  // Is `day` (YYYY-MM-DD) inside the window? A missing `since` is the default window, which
  // the server names in the attribute from the start; a missing `until` is open-ended.
  function inside(day, shown) {
    return (!shown.since || day >= shown.since) && (!shown.until || day <= shown.until);
  }

  function draw(box) {
    var days = parse(box.getAttribute("data-days"), []);
    var shown = parse(box.getAttribute("data-window"), {});
    var template = box.getAttribute("data-title") || "";
    var drawn = document.createDocumentFragment();
    days.forEach(function (d) {
      var day = document.createElement("div");
      day.className = inside(d[0], shown) ? "gc-hist-day" : "gc-hist-day gc-hist-out";
      day.title = template.replace("{day}", d[0]).replace("{cases}", d[1])
        .replace("{tickets}", d[2]);
      day.appendChild(bar("gc-hist-cases", d[3]));
      day.appendChild(bar("gc-hist-tickets", d[4]));
      drawn.appendChild(day);
    });
    box.replaceChildren(drawn);
    box.setAttribute("data-drawn", String(days.length));
    var timeline = box.parentElement;
    if (timeline) {
      var oneDay = Boolean(shown.since) && shown.since === shown.until;
      timeline.classList.toggle("gc-timeline-idle", !oneDay);
    }
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
      attributes.observe(box, {attributes: true,
                               attributeFilter: ["data-days", "data-title", "data-window"]});
    }
  }

  new MutationObserver(find).observe(document.documentElement, {childList: true, subtree: true});
  find();
})();
