"""First paint of the command map after sign-in, two servers interleaved (old code vs new).

Real headless Chromium (the system's, through playwright): each run is a fresh browser
context (empty cache, no cookies) that opens /login, signs in and waits for the map. An init
script watches the Leaflet panes with a MutationObserver and notes, per layer, the first
animation frame after its first features entered the DOM (time since the sign-in's navigation
started, i.e. since the form was sent): outlines (communities, grids), case markers, ticket
cluster bubbles, place labels. The network log of the page gives every
`_dash-update-component` request (its outputs, start and end) for the callback graph at load.

    .venv/bin/python scripts/bench/first_paint.py \
        --server new=http://127.0.0.1:8063 --server old=http://127.0.0.1:8069 \
        --user paintbench --password … --runs 15 [--size 1920x1080] [--log callbacks.json]

Runs alternate A B, B A, A B … so that drift in the machine's load falls on both. It prints
the median and p90 of each layer per server and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# What counts as drawn, per figure: a CSS selector inside the map (old and new code alike).
DRAWN = {
    "outlines": ".leaflet-gc-communities-pane path, .leaflet-gc-grids-pane path",
    "cases": ".leaflet-gc-cases-pane path, .leaflet-gc-cases-pane .leaflet-marker-icon",
    "tickets": ".gc-cluster, .marker-cluster",
    "labels": ".leaflet-gc-labels-pane .gc-label",
}

WATCH = """
(() => {
  const drawn = %s;
  const seen = {};
  const last = {};
  window.__gcPaint = {seen, last};
  function check() {
    const now = performance.now();
    for (const [name, selector] of Object.entries(drawn)) {
      const hit = document.querySelector(selector);
      if (!hit) continue;
      last[name] = now;  // the last change of the DOM while this layer is drawn
      if (!(name in seen)) {
        seen[name] = -1;
        // the frame that paints it
        requestAnimationFrame(() => { seen[name] = performance.now(); });
      }
    }
  }
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def one_run(browser, base: str, user: str, password: str, size: tuple[int, int],
            timeout_s: float, settle_s: float) -> dict:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="zh-CN")
    context.add_init_script(WATCH % json.dumps(DRAWN))
    page = context.new_page()
    requests: list[dict] = []

    def finished(request):
        if not any(part in request.url for part in
                   ("_dash-update-component", "/api/layers/", "_dash-layout", "/async-")):
            return
        timing = request.timing
        entry = {"url": request.url.split("?")[0].replace(base, ""),
                 "start_epoch_ms": timing["startTime"],
                 "ms": timing["responseEnd"]}
        if "_dash-update-component" in request.url:
            try:
                body = request.post_data_json or {}
                entry["output"] = body.get("output")
                entry["changed"] = body.get("changedPropIds")
            except ValueError:
                entry["output"] = "?"
        else:
            entry["url"] = request.url.replace(base, "").split("?m=")[0]
        requests.append(entry)

    page.on("requestfinished", finished)
    try:
        page.goto(base + "/login", wait_until="load")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            got = page.evaluate("window.__gcPaint ? window.__gcPaint.seen : {}")
            if all(got.get(name, -1) > 0 for name in DRAWN):
                break
            time.sleep(0.05)
        time.sleep(settle_s)  # late callbacks and redraws after the first paint
        got = page.evaluate("({seen: window.__gcPaint.seen, last: window.__gcPaint.last, "
                            "origin: performance.timeOrigin})")
    finally:
        context.close()
    origin = got["origin"]
    for entry in requests:
        entry["start_ms"] = round(entry.pop("start_epoch_ms") - origin)
        entry["end_ms"] = round(entry["start_ms"] + entry.pop("ms"))
    requests.sort(key=lambda e: e["start_ms"])
    return {"drawn": {n: (round(v) if v and v > 0 else None) for n, v in got["seen"].items()},
            "last_change": {n: round(v) for n, v in got["last"].items()},
            "requests": requests}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", action="append", required=True,
                        help="NAME=BASE_URL (give two to compare)")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", default=os.environ.get("FIRST_PAINT_PASSWORD"))
    parser.add_argument("--runs", type=int, default=10, help="runs per server")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per run")
    parser.add_argument("--settle", type=float, default=1.5,
                        help="seconds watched after every layer is drawn")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per server")
    parser.add_argument("--log", type=Path, help="write every run (with its requests) here")
    parser.add_argument("--chromium", default=os.environ.get("GRIDCMD_CHROMIUM",
                                                             "/usr/bin/chromium"))
    args = parser.parse_args()
    if not args.password:
        parser.error("--password or FIRST_PAINT_PASSWORD")
    servers = [tuple(s.split("=", 1)) for s in args.server]
    size = tuple(int(v) for v in args.size.split("x"))
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict]] = {name: [] for name, _ in servers}
    loads = [os.getloadavg()]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True)
        try:
            for _ in range(args.warmup):
                for _, base in servers:
                    one_run(browser, base.rstrip("/"), args.user, args.password, size,
                            args.timeout, 0.2)
            for number in range(args.runs):
                order = servers if number % 2 == 0 else list(reversed(servers))
                for name, base in order:
                    run = one_run(browser, base.rstrip("/"), args.user, args.password, size,
                                  args.timeout, args.settle)
                    run["load1"] = os.getloadavg()[0]
                    results[name].append(run)
                    print(f"run {number + 1:2d} {name:5s} " + "  ".join(
                        f"{k} {v if v is not None else '—'}" for k, v in run["drawn"].items())
                        + f"  load {run['load1']:.1f}", file=sys.stderr, flush=True)
        finally:
            browser.close()
    loads.append(os.getloadavg())
    print(f"\nfirst paint after sign-in, {args.size}, {args.runs} interleaved runs per server "
          f"(ms since the sign-in form was sent: median / p90)")
    print(f"{'layer':10s}" + "".join(f"{name:>22s}" for name, _ in servers))
    for layer in DRAWN:
        row = f"{layer:10s}"
        for name, _ in servers:
            values = [r["drawn"].get(layer) for r in results[name]]
            values = [v for v in values if v is not None]
            missing = len(results[name]) - len(values)
            cell = (f"{statistics.median(values):,.0f} / {percentile(values, 0.9):,.0f}"
                    if values else "—") + (f" ({missing} miss)" if missing else "")
            row += f"{cell:>22s}"
        print(row)
    for name, _ in servers:
        dash = [len([q for q in r["requests"] if "_dash-update-component" in q["url"]])
                for r in results[name]]
        print(f"{name}: _dash-update-component requests per load, median "
              f"{statistics.median(dash):.0f}")
    print("load average before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
        *loads[0], *loads[1]))
    if args.log:
        args.log.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
