/* The grid worker's phone app: my tasks, report what I find, household visits, the outbox.
   Plain JS, no framework; every write goes through GcOutbox (IndexedDB) and is sent when online. */
"use strict";
(function () {
  const S = self.GC_STRINGS || {};
  const LANG = self.GC_LANG || "zh";
  const tr = (key, values) => {
    let text = S[key] || key;
    Object.entries(values || {}).forEach(([k, v]) => { text = text.replaceAll(`{${k}}`, v); });
    return text;
  };
  const COUNT_FIELDS = ["members", "registered", "floating", "elderly", "children", "vulnerable"];
  const MAX_PHOTOS = 3, PHOTO_MAX_BYTES = 1000000;
  const state = {me: null, pos: null, posError: null, timers: []};
  const view = document.getElementById("view");
  /* The view's content (null/undefined parts are left out, not written as text). */
  const show = (...nodes) => view.replaceChildren(...nodes.flat().filter(
    (n) => n !== null && n !== undefined));

  /* Elements built from data, never from HTML strings (names and addresses are data). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    });
    children.flat().forEach((c) => c !== null && c !== undefined &&
      el.appendChild(typeof c === "string" || typeof c === "number" ?
        document.createTextNode(String(c)) : c));
    return el;
  }
  function notice(text, kind) {
    const box = document.getElementById("notice");
    box.textContent = text || "";
    box.className = `notice ${kind || ""}`;
    box.hidden = !text;
  }

  /* GET JSON. The last good answer is kept on the phone (localStorage; masked data only) and
     answers when the network does not, also before the service worker controls the page. */
  const KEEP = "gc-phone:";
  /* Lists asked near a moving position are kept under one key: the last one answers offline. */
  const keepKey = (url) => KEEP + (url.startsWith("/api/m/buildings?lat=") ?
    "/api/m/buildings?near" : url);
  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, {credentials: "same-origin"});
    } catch (err) {
      const kept = localStorage.getItem(keepKey(url));
      if (kept) return Object.assign(JSON.parse(kept), {_cached: true});
      throw err;
    }
    if (response.status === 401) { location.href = "/login?next=/m/"; throw new Error("401"); }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const err = new Error((body && body.message) || `HTTP ${response.status}`);
      err.status = response.status; throw err;
    }
    if (response.headers.get("X-Gridcmd-Offline-Copy")) body._cached = true;
    else try { localStorage.setItem(keepKey(url), JSON.stringify(body)); } catch (err) { /* full */ }
    return body;
  }

  /* ---------- position ---------- */
  function watchPosition() {
    if (!navigator.geolocation) { state.posError = "unsupported"; return; }
    navigator.geolocation.watchPosition((p) => {
      state.pos = {lat: p.coords.latitude, lng: p.coords.longitude,
                   accuracy: Math.round(p.coords.accuracy)};
      state.posError = null;
      document.dispatchEvent(new Event("gc-position"));
    }, (err) => {
      state.posError = err.message || "error";
      document.dispatchEvent(new Event("gc-position"));
    }, {enableHighAccuracy: true, maximumAge: 10000, timeout: 20000});
  }
  const inMyGrids = (p) => (state.me ? state.me.grids : []).some(
    (g) => GcGeo.inGeometry(p, g.geometry));
  function fmtDistance(m) {
    return m < 1000 ? `${Math.round(m)} ${LANG === "en" ? "m" : "米"}`
      : `${(m / 1000).toFixed(1)} ${LANG === "en" ? "km" : "公里"}`;
  }

  /* ---------- header: network state and the outbox count ---------- */
  async function refreshCount() {
    const n = await GcOutbox.queuedCount();
    document.getElementById("outbox-count").textContent = String(n);
  }
  function refreshNet() {
    const net = document.getElementById("net");
    net.textContent = navigator.onLine ? tr("online") : tr("offline").split(" ·")[0];
    net.className = navigator.onLine ? "net" : "net off";
  }
  async function syncNow() {
    if (!navigator.onLine) return;
    const result = await GcOutbox.sync();
    if (result.signedOut) notice(tr("signin_again"), "err");
    if (result.sent && location.hash.startsWith("#outbox")) route();
  }

  /* ---------- tasks ---------- */
  function dueLabel(dueAt) {
    if (!dueAt) return {text: "", cls: ""};
    const ms = new Date(dueAt) - Date.now();
    const abs = Math.abs(ms), mins = Math.floor(abs / 60000);
    const d = Math.floor(mins / 1440), hrs = Math.floor((mins % 1440) / 60), m = mins % 60;
    const time = LANG === "en"
      ? (d ? `${d} d ${hrs} h` : hrs ? `${hrs} h ${m} min` : `${m} min`)
      : (d ? `${d}天${hrs}小时` : hrs ? `${hrs}小时${m}分` : `${m}分钟`);
    if (ms < 0) return {text: tr("tasks.overdue", {time}), cls: "late"};
    return {text: tr("tasks.due_in", {time}), cls: ms < 2 * 3600000 ? "soon" : ""};
  }
  function tickCountdowns() {
    document.querySelectorAll("[data-due]").forEach((el) => {
      const due = dueLabel(el.getAttribute("data-due"));
      el.textContent = due.text; el.className = `due ${due.cls}`;
    });
  }

  async function showTasks() {
    show(h("h2", {text: tr("nav.tasks")}), h("p", {class: "muted",
                                                                   text: tr("loading")}));
    let body;
    try {
      body = await getJson("/api/m/tasks");
    } catch (err) {
      show(h("h2", {text: tr("nav.tasks")}),
                           h("p", {class: "muted", text: err.status === 404 ?
                             tr("tasks.unavailable") : String(err.message)}));
      return;
    }
    const tasks = body.tasks || [];
    const items = tasks.map((t) => {
      const due = dueLabel(t.due_at);
      const here = state.pos && t.lat !== null && t.lat !== undefined ?
        fmtDistance(GcGeo.distance(state.pos, t)) : "";
      return h("a", {class: "card", href: `#task/${encodeURIComponent(t.code)}`,
                     "data-testid": "task-item", "data-code": t.code},
        h("div", {class: "row"}, h("strong", {text: t.category_name || t.category}),
          h("span", {class: `due ${due.cls}`, "data-due": t.due_at || "", text: due.text})),
        h("div", {text: t.address || t.content || ""}),
        h("div", {class: "row muted"}, h("span", {text: `${t.code} · ${t.status_name ||
                                                  t.status}`}), h("span", {text: here})));
    });
    show(h("h2", {text: tr("nav.tasks")}),
                         body._cached ? h("p", {class: "muted", text: tr("cached")}) : null,
                         items.length ? h("div", {}, items) :
                           h("p", {class: "muted", text: tr("tasks.empty")}));
  }

  async function showTask(code) {
    show(h("p", {class: "muted", text: tr("loading")}));
    let t;
    try { t = (await getJson(`/api/m/tasks/${encodeURIComponent(code)}`)).task; } catch (err) {
      show(h("a", {href: "#tasks", class: "button", text: tr("back")}),
                           h("p", {class: "warn", text: String(err.message)}));
      return;
    }
    const target = t.lat !== null && t.lat !== undefined ? {lat: t.lat, lng: t.lng} : null;
    const map = GcGeo.svgMap(state.me ? state.me.grids : [], [target, state.pos], 360, 220);
    if (target) map.circle(target, 9, "target");
    if (state.pos) map.circle(state.pos, 7, "me");
    let where = tr("task.no_position");
    if (state.pos && target) {
      const deg = GcGeo.bearing(state.pos, target);
      where = tr("task.distance", {distance: fmtDistance(GcGeo.distance(state.pos, target)),
                                   bearing: `${GcGeo.compass(deg, LANG)} ${Math.round(deg)}°`});
    }
    const note = h("textarea", {id: "task-note", maxlength: "1000",
                                placeholder: tr("task.note")});
    const photos = photoPicker();
    const act = (action) => async () => {
      await GcOutbox.add("action", {ticket: t.code, action, version: t.version,
                                    note: note.value.trim()}, photos.items());
      notice(tr("task.queued"), "ok");
      await syncNow();
      route();
    };
    const next = {dispatched: ["accept"], accepted: ["start"], in_progress: ["submit"],
                  returned: []}[t.status] || [];
    const due = dueLabel(t.due_at);
    show(
      h("a", {href: "#tasks", class: "button", text: `‹ ${tr("back")}`}),
      h("h2", {text: t.category_name || t.category}),
      h("div", {class: "card"},
        h("div", {class: "row"}, h("span", {text: `${t.code} · ${t.status_name || t.status}`}),
          h("span", {class: `due ${due.cls}`, "data-due": t.due_at || "", text: due.text})),
        map.svg, h("p", {"data-testid": "task-distance", text: where}),
        h("p", {}, h("strong", {text: `${tr("task.address")}：`}), t.address || "—"),
        t.text || t.content ? h("p", {}, h("strong", {text: `${tr("task.content")}：`}),
                                t.text || t.content) : null),
      next.length ? h("div", {class: "card"}, note,
                      next.includes("submit") ? photos.element : null,
                      h("div", {class: "actions"}, next.map((a) =>
                        h("button", {class: "primary", "data-testid": `task-${a}`,
                                     onclick: act(a), text: tr(`task.${a}`)})))) : null,
      h("div", {class: "card"}, h("strong", {text: tr("task.history")}),
        h("ul", {class: "list-plain history"}, (t.history || []).map((e) =>
          h("li", {text: `${(e.at || "").slice(5, 16).replace("T", " ")} ${e.action_name ||
                   e.action} ${e.note ? "· " + e.note : ""}`})))));
  }

  /* ---------- photos: compressed on the phone (canvas, JPEG ≤ 1 MB, no EXIF) ---------- */
  async function compress(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, {imageOrientation: "from-image"});
    } catch (err) {
      throw new Error(tr("photo.not_image"));
    }
    let side = 1600, quality = 0.82;
    for (let attempt = 0; attempt < 10; attempt++) {
      const k = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * k));
      canvas.height = Math.max(1, Math.round(bitmap.height * k));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((res) => canvas.toBlob(res, "image/jpeg", quality));
      if (blob && blob.size <= PHOTO_MAX_BYTES) return blob;
      if (quality > 0.55) quality -= 0.12; else { side = Math.round(side * 0.75); quality = 0.75; }
    }
    throw new Error(tr("photo.too_big"));
  }
  function photoPicker() {
    const items = [];
    const strip = h("div", {class: "photos"});
    const message = h("p", {class: "warn", "data-testid": "photo-message", hidden: true});
    const input = h("input", {type: "file", accept: "image/*", capture: "environment",
                              "data-testid": "report-photo", multiple: true});
    function redraw() {
      strip.replaceChildren(...items.map((p, i) => h("figure", {},
        h("img", {src: URL.createObjectURL(p.blob), alt: ""}),
        h("button", {type: "button", text: tr("photo.remove"),
                     onclick: () => { items.splice(i, 1); redraw(); }}))));
    }
    input.addEventListener("change", async () => {
      message.hidden = true;
      for (const file of [...input.files]) {
        if (items.length >= MAX_PHOTOS) { message.textContent = tr("report.too_many");
                                          message.hidden = false; break; }
        try {
          items.push({id: GcOutbox.uuid(), blob: await compress(file), name: "photo.jpg"});
        } catch (err) {
          message.textContent = err.message; message.hidden = false;
        }
      }
      input.value = "";
      redraw();
    });
    const element = h("div", {}, h("label", {text: tr("report.photos")}), strip,
      h("span", {class: "button file-button"}, tr("report.add_photo"), input), message);
    return {element, items: () => items.slice()};
  }

  /* ---------- report what I find ---------- */
  async function categories() {
    try { return (await getJson("/api/m/categories")).categories; } catch (err) {
      return [{code: "other", name: LANG === "en" ? "Other" : "其他"}];
    }
  }
  async function showReport() {
    const cats = await categories();
    const select = h("select", {id: "report-category", "data-testid": "report-category"},
      cats.map((c) => h("option", {value: c.code, text: c.name})));
    const text = h("textarea", {id: "report-text", "data-testid": "report-text",
                                maxlength: "1000", placeholder: tr("report.text_hint")});
    const photos = photoPicker();
    const where = h("div", {"data-testid": "report-location"});
    const mapBox = h("div", {});
    const warn = h("p", {class: "warn", "data-testid": "report-outside", hidden: true,
                         text: tr("report.outside")});
    let pin = null, moved = false;

    function drawMap() {
      let centre = pin || state.pos;
      const map = GcGeo.svgMap(state.me ? state.me.grids : [], [centre], 360, 220);
      // No position (permission refused, no fix): the hint says to drag the pin, so there is
      // one, at the middle of the worker's grids. It counts as a place once it is dragged.
      if (!centre && state.posError) centre = map.toLatLng(180, 110);
      if (state.pos) {
        map.circle(state.pos, Math.max(4, state.pos.accuracy * map.scale / 111320), "acc");
        map.circle(state.pos, 6, "me");
      }
      if (centre) {
        const dot = map.circle(centre, 13, "pin");
        dot.setAttribute("data-testid", "report-pin");
        let dragging = false;
        const toPoint = (ev) => {
          const box = map.svg.getBoundingClientRect();
          return map.toLatLng((ev.clientX - box.left) * 360 / box.width,
                              (ev.clientY - box.top) * 220 / box.height);
        };
        map.svg.addEventListener("pointerdown", (ev) => {
          dragging = true; map.svg.setPointerCapture(ev.pointerId);
        });
        map.svg.addEventListener("pointermove", (ev) => {
          if (!dragging) return;
          const p = toPoint(ev); const [x, y] = map.toXY(p);
          dot.setAttribute("cx", x); dot.setAttribute("cy", y);
        });
        map.svg.addEventListener("pointerup", (ev) => {
          if (!dragging) return;
          dragging = false; pin = toPoint(ev); moved = true; describe();
        });
      }
      mapBox.replaceChildren(map.svg);
    }
    function describe() {
      const point = pin || state.pos;
      const parts = [];
      if (state.pos) parts.push(tr("report.accuracy", {m: state.pos.accuracy}));
      else parts.push(state.posError ? tr("report.no_location") : tr("report.locating"));
      if (point) parts.push(`${point.lat.toFixed(6)}, ${point.lng.toFixed(6)}`);
      if (point) parts.push(tr("report.drag_hint"));
      where.textContent = parts.join(" · ");
      warn.hidden = !point || inMyGrids(point);
    }
    const onPosition = () => { if (!moved) { drawMap(); describe(); } };
    document.addEventListener("gc-position", onPosition);
    state.timers.push(() => document.removeEventListener("gc-position", onPosition));

    const problems = h("p", {class: "warn", hidden: true});
    const submit = h("button", {class: "primary", "data-testid": "report-submit", type: "button",
                                text: tr("report.submit"), onclick: async () => {
      const point = pin || state.pos;
      problems.hidden = true;
      if (!text.value.trim()) { problems.textContent = tr("report.need_text");
                                problems.hidden = false; return; }
      if (!point) { problems.textContent = tr("report.need_location");
                    problems.hidden = false; return; }
      submit.disabled = true;
      await GcOutbox.add("report", {
        category: select.value, text: text.value.trim(),
        lat: Number(point.lat.toFixed(7)), lng: Number(point.lng.toFixed(7)),
        accuracy: state.pos ? state.pos.accuracy : null, moved}, photos.items());
      notice(tr("report.queued"), "ok");
      await syncNow();
      location.hash = "#outbox";
    }});
    show(h("h2", {text: tr("report.new")}),
      h("div", {class: "card"},
        h("label", {for: "report-category", text: tr("report.category")}), select,
        h("label", {for: "report-text", text: tr("report.text")}), text, photos.element),
      h("div", {class: "card"}, h("label", {text: tr("report.location")}), mapBox, where, warn),
      problems, submit);
    drawMap(); describe();
  }

  /* ---------- household visits (一户一表) ---------- */
  async function showVisitList(query) {
    const search = h("input", {type: "search", "data-testid": "visit-search",
                               placeholder: tr("visit.search"), value: query || ""});
    const list = h("div", {}, h("p", {class: "muted", text: tr("loading")}));
    search.addEventListener("change", () => showVisitList(search.value.trim()));
    show(h("h2", {text: query ? tr("visit.search") : tr("visit.near")}),
                         search, list);
    let url = "/api/m/buildings";
    if (query) url += `?q=${encodeURIComponent(query)}`;
    else if (state.pos) url += `?lat=${state.pos.lat}&lng=${state.pos.lng}`;
    try {
      const rows = (await getJson(url)).buildings;
      list.replaceChildren(...(rows.length ? rows.map((b) =>
        h("a", {class: "card", href: `#visit/${encodeURIComponent(b.code)}`,
                "data-testid": "building-item"},
          h("div", {class: "row"}, h("strong", {text: b.address}),
            h("span", {class: "muted", text: b.distance_m !== null ?
              fmtDistance(b.distance_m) : ""})),
          h("div", {class: "row muted"},
            h("span", {text: `${b.grid_name} · ${tr("visit.households", {n: b.households})}`}),
            h("span", {text: b.visited_at ? tr("visit.visited", {date: b.visited_at.slice(0, 10)})
              : tr("visit.never")})))) :
        [h("p", {class: "muted", text: tr("visit.none")})]));
    } catch (err) {
      list.replaceChildren(h("p", {class: "warn", text: String(err.message)}));
    }
  }

  /* The checks of the import (whole numbers ≥ 0, registered + floating = members) before a
     visit is queued; the server checks again. */
  function checkCounts(values) {
    const problems = [];
    COUNT_FIELDS.forEach((f) => {
      const v = values[f];
      if (!Number.isInteger(v) || v < 0) problems.push(tr("visit.whole",
                                                          {field: tr(`visit.${f}`)}));
    });
    if (!problems.length && values.registered + values.floating !== values.members) {
      problems.push(tr("visit.sum_rule", {reg: values.registered, flo: values.floating,
                                          members: values.members}));
    }
    return problems;
  }

  function householdForm(hh, building) {
    const inputs = {};
    const field = (f) => {
      inputs[f] = h("input", {type: "number", inputmode: "numeric", min: "0", step: "1",
                              value: String(hh[f]), "data-testid": `visit-${f}`,
                              id: `${hh.code}-${f}`});
      return h("div", {}, h("label", {for: `${hh.code}-${f}`, text: tr(`visit.${f}`)}),
               inputs[f]);
    };
    const renters = h("input", {type: "checkbox", "data-testid": "visit-renters",
                                checked: hh.renters});
    const note = h("input", {type: "text", maxlength: "500", placeholder: tr("visit.note")});
    const problems = h("ul", {class: "problems", "data-testid": "visit-problems"});
    const residents = h("ul", {class: "residents"}, (hh.persons || []).map((p) =>
      h("li", {text: `${p.name} ${p.phone || ""}`})));
    const reveal = h("button", {type: "button", "data-testid": "visit-reveal",
                                text: tr("visit.reveal"), onclick: async () => {
      try {
        const response = await fetch(`/api/m/households/${encodeURIComponent(hh.code)}/reveal`,
                                     {method: "POST", credentials: "same-origin"});
        const body = await response.json();
        if (!response.ok) throw new Error(body.message || response.status);
        residents.replaceChildren(...body.persons.map((p) =>
          h("li", {text: `${p.name} ${p.phone || ""} ${p.id_number || ""}`})));
        reveal.disabled = true;
      } catch (err) { notice(String(err.message), "err"); }
    }});
    const save = h("button", {class: "primary", type: "button", "data-testid": "visit-save",
                              text: tr("visit.save"), onclick: async () => {
      const counts = {};
      COUNT_FIELDS.forEach((f) => {
        const text = inputs[f].value.trim();
        counts[f] = /^\d+$/.test(text) ? Number(text) : NaN;
      });
      const found = checkCounts(counts);
      problems.replaceChildren(...found.map((p) => h("li", {text: p})));
      if (found.length) return;  // refused before it is queued
      counts.renters = renters.checked;
      await GcOutbox.add("visit", {household: hh.code, building, counts,
                                   note: note.value.trim() || undefined});
      notice(tr("visit.saved"), "ok");
      save.disabled = true;
      await syncNow();
    }});
    return h("details", {class: "card household", "data-testid": "household-item",
                         "data-code": hh.code},
      h("summary", {}, h("strong", {text: `${tr("visit.room")} ${hh.room}`}),
        h("span", {class: "muted", text: `${hh.members}${LANG === "en" ? "" : "人"} · ${
          hh.visited_at ? tr("visit.visited", {date: hh.visited_at.slice(0, 10)}) :
          tr("visit.never")}`})),
      h("div", {class: "grid2"}, COUNT_FIELDS.map(field)),
      h("label", {class: "check"}, renters, tr("visit.renters")), note,
      h("div", {}, h("strong", {text: tr("visit.residents")}), residents, reveal),
      problems, save);
  }

  async function showBuilding(code) {
    show(h("p", {class: "muted", text: tr("loading")}));
    try {
      const b = await getJson(`/api/m/buildings/${encodeURIComponent(code)}`);
      show(h("a", {href: "#visit", class: "button", text: `‹ ${tr("back")}`}),
        h("h2", {text: b.address}),
        b._cached ? h("p", {class: "muted", text: tr("cached")}) : null,
        h("p", {class: "muted", text: `${code} · ${tr("visit.households",
                                                        {n: b.households.length})}`}),
        ...b.households.map((hh) => householdForm(hh, code)));
    } catch (err) {
      show(h("a", {href: "#visit", class: "button", text: `‹ ${tr("back")}`}),
                           h("p", {class: "warn", text: String(err.message)}));
    }
  }

  /* ---------- outbox ---------- */
  async function showOutbox() {
    const entries = (await GcOutbox.all()).sort((a, b) => b.created.localeCompare(a.created));
    const describe = (e) => e.kind === "report" ? (e.payload.text || "").slice(0, 40)
      : e.kind === "visit" ? `${e.payload.household}` : `${e.payload.ticket} ${e.payload.action}`;
    show(h("h2", {text: tr("outbox.title")}),
      h("button", {type: "button", "data-testid": "outbox-sync", text: tr("outbox.sync"),
                   onclick: syncNow}),
      h("div", {style: "margin-top:10px"}, entries.length ? entries.map((e) =>
        h("div", {class: "card", "data-testid": "outbox-item", "data-state": e.state},
          h("div", {class: "row"}, h("strong", {text: tr(`outbox.kind.${e.kind}`)}),
            h("span", {class: `pill ${e.state}`, text: tr(`outbox.${e.state}`)})),
          h("div", {text: describe(e)}),
          h("div", {class: "muted", text: `${e.created.slice(0, 19).replace("T", " ")}${
            e.photos && e.photos.length ? ` · ${e.photos.length} 📷` : ""}`}),
          e.error ? h("div", {class: "warn", text: e.error}) : null,
          e.state === "failed" ? h("button", {type: "button", text: tr("outbox.retry"),
            onclick: async () => { await GcOutbox.retry(e.id); await syncNow(); route(); }})
            : null)) : h("p", {class: "muted", text: tr("outbox.empty")})),
      h("button", {type: "button", "data-testid": "sign-out", text: tr("signout"),
                   style: "margin-top:24px", onclick: signOut}));
  }

  /* Sign out: what the phone kept of this user goes first (queued writes only after a warning),
     then the session ends through the sign-in page's own form (POST /logout with its token). */
  async function signOut() {
    const queued = await GcOutbox.queuedCount();
    if (queued && !confirm(tr("signout.queued", {n: queued}))) return;
    Object.keys(localStorage).filter((k) => k.startsWith(KEEP))
      .forEach((k) => localStorage.removeItem(k));
    if (self.caches) await caches.delete("gridcmd-phone-data-v1");
    await GcOutbox.clear();
    const form = h("form", {method: "post", action: "/logout"},
                   h("input", {type: "hidden", name: "csrf", value: state.me.csrf || ""}));
    document.body.appendChild(form);
    form.submit();
  }

  /* ---------- routing ---------- */
  function route() {
    state.timers.splice(0).forEach((undo) => undo());
    const hash = decodeURIComponent(location.hash.slice(1)) || "tasks";
    const [name, arg] = [hash.split("/")[0], hash.split("/").slice(1).join("/")];
    document.querySelectorAll(".tabs a").forEach((a) =>
      a.classList.toggle("on", a.dataset.tab === (name === "task" ? "tasks" : name)));
    notice("");
    if (name === "task" && arg) return showTask(arg);
    if (name === "report") return showReport();
    if (name === "visit" && arg) return showBuilding(arg);
    if (name === "visit") return showVisitList("");
    if (name === "outbox") return showOutbox();
    return showTasks();
  }

  async function start() {
    document.documentElement.lang = LANG === "en" ? "en" : "zh-CN";
    document.getElementById("title").textContent = tr("title");
    ["tasks", "report", "visit", "outbox"].forEach((t) => {
      document.getElementById(`tab-${t}`).textContent = tr(`nav.${t}`);
    });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/m/sw.js", {scope: "/m/"}).catch(() => {});
    }
    GcOutbox.onChange(refreshCount);
    refreshNet(); refreshCount();
    window.addEventListener("online", () => { refreshNet(); syncNow(); });
    window.addEventListener("offline", refreshNet);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") syncNow();
    });
    setInterval(tickCountdowns, 30000);
    setInterval(async () => { if (await GcOutbox.queuedCount()) syncNow(); }, 60000);
    watchPosition();
    try {
      state.me = await getJson("/api/m/me");
      document.getElementById("title").textContent =
        `${tr("title")} · ${state.me.grids.map((g) => g.name).join("、")}`;
    } catch (err) { state.me = {grids: []}; }
    categories();  // kept on the phone for a report filed offline
    window.addEventListener("hashchange", route);
    route();
    syncNow();  // Safari has no background sync: send what is queued when the app opens
    document.body.setAttribute("data-ready", "1");
  }
  document.addEventListener("DOMContentLoaded", start);
})();
