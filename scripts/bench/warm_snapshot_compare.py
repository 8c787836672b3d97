"""Warm snapshots of two running servers, interleaved: GET /export/snapshot.png (1920×1080, the
whole town, default layers) signed in on each, one untimed warm-up each, then A B, B A, A B …

    FIRST_PAINT_PASSWORD=… .venv/bin/python scripts/bench/warm_snapshot_compare.py \
        --server new=http://127.0.0.1:8063 --server old=http://127.0.0.1:8069 \
        --user paintbench --runs 10

Each server renders with its own warm browser (the export path a user's click takes); the
figure is the whole HTTP answer. Prints median / p90 / min per server and the load average.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

QUERY = "size=1920x1080"


def signed_in(base: str, user: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    opener.open(base + "/login", urllib.parse.urlencode(
        {"csrf": token, "username": user, "password": password}).encode())
    return opener


def one(opener: urllib.request.OpenerDirector, base: str) -> float:
    started = time.perf_counter()
    with opener.open(f"{base}/export/snapshot.png?{QUERY}", timeout=120) as answer:
        body = answer.read()
    took = time.perf_counter() - started
    if not body.startswith(b"\x89PNG"):
        raise RuntimeError(f"{base} answered no PNG")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", action="append", required=True, help="NAME=BASE_URL")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", default=os.environ.get("FIRST_PAINT_PASSWORD"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    servers = [tuple(s.split("=", 1)) for s in args.server]
    openers = {name: signed_in(base, args.user, args.password) for name, base in servers}
    for name, base in servers:
        one(openers[name], base)  # starts the server's browser and preloads the print view
    times: dict[str, list[float]] = {name: [] for name, _ in servers}
    before = os.getloadavg()
    for number in range(args.runs):
        for name, base in servers if number % 2 == 0 else list(reversed(servers)):
            times[name].append(one(openers[name], base))
    after = os.getloadavg()
    print(f"warm GET /export/snapshot.png?{QUERY}, {args.runs} interleaved runs per server (s)")
    for name, values in times.items():
        ordered = sorted(values)
        print(f"{name:6s} median {statistics.median(values):.3f}  "
              f"p90 {ordered[round(0.9 * (len(ordered) - 1))]:.3f}  min {ordered[0]:.3f}")
    print("load average before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
        *before, *after))


if __name__ == "__main__":
    main()
