/* The outbox: every write of the phone kept in IndexedDB with an id made on the phone (UUID),
   sent in order when online and when the app opens; queued → sent, or failed with the reason.
   The server treats the id as an idempotency key, so sending an entry twice writes once. */
"use strict";
(function () {
  const DB = "gridcmd-phone", STORE = "outbox", VERSION = 1;
  let dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open(DB, VERSION);
        open.onupgradeneeded = () => {
          const store = open.result.createObjectStore(STORE, {keyPath: "id"});
          store.createIndex("state", "state");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }

  async function tx(mode, work) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const t = conn.transaction(STORE, mode);
      const store = t.objectStore(STORE);
      let result;
      Promise.resolve(work(store)).then((r) => { result = r; });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }
  const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result);
                                                  r.onerror = () => rej(r.error); });

  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  async function add(kind, payload, photos) {
    const entry = {id: uuid(), kind, payload, photos: photos || [], state: "queued",
                   created: new Date().toISOString(), attempts: 0, error: null, sent: null};
    await tx("readwrite", (s) => s.put(entry));
    changed();
    return entry;
  }
  const all = () => tx("readonly", (s) => req(s.getAll()));
  const put = (entry) => tx("readwrite", (s) => s.put(entry));
  async function queuedCount() {
    return (await all()).filter((e) => e.state === "queued").length;
  }

  const listeners = [];
  function changed() { listeners.forEach((fn) => fn()); }
  function onChange(fn) { listeners.push(fn); }

  class Offline extends Error {}
  class SignedOut extends Error {}

  async function send(url, init) {
    let response;
    try {
      response = await fetch(url, Object.assign({credentials: "same-origin"}, init));
    } catch (err) {
      throw new Offline(String(err));
    }
    if (response.status === 401) throw new SignedOut("401");
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new Offline(`${response.status} ${(body && body.message) || ""}`);
    }
    return {status: response.status, ok: response.ok, body};
  }
  const postJson = (url, data) => send(url, {method: "POST", body: JSON.stringify(data),
                                             headers: {"Content-Type": "application/json"}});

  /* Uploads an entry's photos in order; the first refused one stops it and is returned. */
  async function uploadPhotos(entry) {
    const photoIds = [];
    for (const photo of entry.photos) {
      const form = new FormData();
      form.append("client_id", photo.id);
      form.append("photo", photo.blob, photo.name || "photo.jpg");
      const answer = await send("/api/m/photos", {method: "POST", body: form});
      if (!answer.ok) return {refused: answer, photoIds};
      photoIds.push(photo.id);
    }
    return {refused: null, photoIds};
  }

  /* How each kind of entry is sent; each answer: {ok, status, body}. */
  const senders = {
    async visit(entry) {
      return postJson("/api/visits", Object.assign({client_id: entry.id}, entry.payload));
    },
    async report(entry) {
      const {refused, photoIds} = await uploadPhotos(entry);
      if (refused) return refused;
      return postJson("/api/reports", Object.assign({client_id: entry.id, photos: photoIds},
                                                    entry.payload));
    },
    async action(entry) {
      const {refused, photoIds} = await uploadPhotos(entry);
      if (refused) return refused;
      const p = entry.payload;
      return postJson(`/api/m/tickets/${encodeURIComponent(p.ticket)}/actions`,
                      {client_id: entry.id, action: p.action, version: p.version,
                       note: p.note || undefined, photos: photoIds});
    },
  };

  let running = null;
  /* Send every queued entry in order; stops at the first network failure (still queued). */
  function sync() {
    if (running) return running;
    running = (async () => {
      let sent = 0, failed = 0, signedOut = false;
      try {
        const entries = (await all()).filter((e) => e.state === "queued")
          .sort((a, b) => a.created.localeCompare(b.created));
        for (const entry of entries) {
          entry.attempts += 1;
          try {
            const answer = await senders[entry.kind](entry);
            if (answer.ok) {
              entry.state = "sent"; entry.sent = new Date().toISOString(); entry.error = null;
              entry.result = answer.body; entry.photos = [];  // the blobs are on the server now
              sent += 1;
            } else {
              entry.state = "failed"; failed += 1;
              entry.error = (answer.body && (answer.body.message || answer.body.error)) ||
                `HTTP ${answer.status}`;
            }
            await put(entry);
          } catch (err) {
            entry.error = err instanceof SignedOut ? "signed_out" : String(err.message || err);
            await put(entry);
            if (err instanceof SignedOut) signedOut = true;
            break;  // offline or signed out: keep the rest queued, in order
          }
        }
      } finally {
        running = null;
        changed();
      }
      return {sent, failed, signedOut};
    })();
    return running;
  }

  async function retry(id) {
    const entry = (await all()).find((e) => e.id === id);
    if (entry && entry.state === "failed") {
      entry.state = "queued"; await put(entry); changed();
    }
  }

  const clear = () => tx("readwrite", (s) => s.clear()).then(changed);

  self.GcOutbox = {add, all, queuedCount, sync, retry, onChange, uuid, clear};
})();
