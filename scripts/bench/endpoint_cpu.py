"""Where the CPU of the load mix goes: per endpoint, app CPU and PostgreSQL CPU per request.

    GRIDCMD_HOME=… GRIDCMD_PG_PORT=… .venv/bin/python scripts/bench/endpoint_cpu.py \
        --scale district --port 8068 [--runs 10] [--no-cache]

Starts `gridcmd serve` (one waitress process) on the loopback port over the benchmark
database, signs in as the benchmark user, then asks each endpoint of `gridcmd bench load`'s
mix `runs` times one after another (gzip accepted, like the load). For each endpoint it reads
the CPU time (utime + stime from /proc) of the server process and of every backend of the
embedded cluster before and after, so the figures are CPU per request, not wall time (wall
time on a shared machine is mostly waiting for a core). Sequential on purpose: nothing else
of ours runs meanwhile, so the cluster's CPU is this endpoint's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: fields 14-17 of stat (11-14 after the name)
    return sum(int(v) for v in fields[11:15]) / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def tree_cpu(pid: int) -> float:
    return cpu_seconds(pid) + sum(tree_cpu(c) for c in children(pid))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="district")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    from dashboard.bench import BENCH_USER, bench_password, targets
    from dashboard.loadbench import sign_in_cookie, wait_until_up
    from dashboard.settings import get_settings
    from geo.bootstrap import ensure_database
    from geo.database import connect

    settings = get_settings()
    name = f"{settings.database_name}_bench_{args.scale}"
    url = ensure_database(settings, name)
    with connect(url, settings) as conn:
        password = bench_password(conn)
        mix = [(t.name, t.path) for t in targets(conn) if "zone proposal" not in t.name]
    postmaster = int((Path(settings.home) / "pgdata" / "postmaster.pid").read_text().split()[0])
    env = {**os.environ, "GRIDCMD_DATABASE_NAME": name}
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--host", "127.0.0.1", "--port",
         str(args.port), "--workers", str(args.workers)], env=env, start_new_session=True)
    try:
        wait_until_up(args.port)
        cookie = sign_in_cookie(args.port, BENCH_USER, password)
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}

        def ask(path: str) -> int:
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{path}: {answer.status} {body[:200]!r}")
            return len(body)

        for _, path in mix:  # warm-up: imports, plans, caches
            ask(path)
        rows = []
        for title, path in mix:
            app0, pg0 = tree_cpu(server.pid), tree_cpu(postmaster)
            walls, size = [], 0
            for _ in range(args.runs):
                began = time.perf_counter()
                size = ask(path)
                walls.append((time.perf_counter() - began) * 1000)
            app1, pg1 = tree_cpu(server.pid), tree_cpu(postmaster)
            rows.append((title, (app1 - app0) * 1000 / args.runs,
                         (pg1 - pg0) * 1000 / args.runs, statistics.median(walls), size))
        total_app = sum(r[1] for r in rows)
        total_pg = sum(r[2] for r in rows)
        print(f"{'endpoint':44} {'app ms':>8} {'pg ms':>8} {'wall p50':>9} {'bytes':>9}")
        for title, app_ms, pg_ms, wall, size in sorted(rows, key=lambda r: -(r[1] + r[2])):
            print(f"{title[:44]:44} {app_ms:8.1f} {pg_ms:8.1f} {wall:9.1f} {size:9,}")
        print(f"{'mean over the mix (CPU per request)':44} {total_app / len(rows):8.1f} "
              f"{total_pg / len(rows):8.1f}")
        print(f"load: {os.getloadavg()}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
