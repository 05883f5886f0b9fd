"""Issue 5 acceptance 5: requests/second of 200 and 304 answers on a 10k-event merged feed,
``event-bridge serve`` side by side with nginx serving the same bytes statically, plus the
p99 latency of 304s while a sync runs.

    python bench/bench_server.py [--events 10000] [--seed 7] [--duration 10] [--connections 64]

Needs nginx and wrk (Debian packages) and ../shared/tools/gen_feeds.py (or --gen PATH).
Everything listens on 127.0.0.1; the feed is synced with the real CLI into a SQLite file,
exported, and that file is what nginx serves (``etag on``, sendfile).  Prints a table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "event_bridge"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

NGINX_CONF = """
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  types {{ text/calendar ics; }}
  client_body_temp_path {dir}/tmp;
  proxy_temp_path {dir}/tmp;
  fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp;
  scgi_temp_path {dir}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    location / {{ add_header Cache-Control "public, max-age=3600"; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def head(port: int, path: str) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("HEAD", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"HEAD {path} on port {port}: {resp.status}")
    return {k.lower(): v for k, v in resp.getheaders()}


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def wrk(url: str, seconds: float, connections: int, threads: int,
        etag: str | None = None) -> tuple[float, float]:
    """(requests/second, p99 latency in ms) from one wrk run."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    if etag:
        cmd[1:1] = ["-H", f"If-None-Match: {etag}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return rps, float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")


def prepare(folder: Path, events: int, seed: int, gen: Path) -> Path:
    subprocess.run([sys.executable, str(gen), "--feeds", "1", "--events-per-feed", str(events),
                    "--seed", str(seed), "--out", str(folder / "feeds")], check=True,
                   stdout=subprocess.DEVNULL)
    config = folder / "bench.toml"
    config.write_text('[database]\nurl = "sqlite:///bench.db"\n\n'
                      '[cities.paris]\nname = "Paris"\ntimezone = "Europe/Paris"\n\n'
                      '[cities.san-francisco]\nname = "San Francisco"\n'
                      'timezone = "America/Los_Angeles"\n\n'
                      '[[feeds]]\nid = "feed-00"\ncity = "paris"\nurl = "feeds/feed-00.ics"\n')
    t0 = time.perf_counter()
    subprocess.run([*CLI, "--config", str(config), "sync", "--once"], env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"first sync: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    www = folder / "www"
    www.mkdir()
    subprocess.run([*CLI, "--config", str(config), "export", "--output",
                    str(www / "calendar.ics")], env=ENV, check=True, stderr=subprocess.DEVNULL)
    return config


def start_nginx(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    (folder / "tmp").mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, port=port))
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(folder), "-e",
                             str(folder / "nginx-error.log")])
    wait_port(port)
    return proc, port


def start_serve(config: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([*CLI, "--config", str(config), "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers)], env=ENV)
    wait_port(port)
    return proc, port


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(port: int, args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    url = f"http://127.0.0.1:{port}/calendar.ics"
    etag = head(port, "/calendar.ics")["etag"]
    wrk(url, 2, args.connections, args.threads, etag)  # warm-up (and the first cache fill)
    return {"200": wrk(url, args.duration, args.connections, args.threads),
            "304": wrk(url, args.duration, args.connections, args.threads, etag)}


def during_sync(config: Path, port: int, args: argparse.Namespace) -> tuple[float, float, float]:
    """304 load while ``sync --once --force`` re-reads and republishes the whole feed:
    (requests/second, p99 ms, sync seconds)."""
    url = f"http://127.0.0.1:{port}/calendar.ics"
    etag = head(port, "/calendar.ics")["etag"]
    t0 = time.perf_counter()
    sync = subprocess.Popen([*CLI, "--config", str(config), "sync", "--once", "--force"],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rps, p99 = wrk(url, args.sync_seconds, args.connections, args.threads, etag)
    running = sync.poll() is None
    sync.wait()
    took = time.perf_counter() - t0
    if not running:
        print(f"note: the sync ended before the load did ({took:.1f}s)", file=sys.stderr)
    return rps, p99, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--sync-seconds", type=float, default=8,
                        help="length of the 304 load run started together with a sync")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", default="1,2",
                        help="comma-separated `serve --workers` counts to measure")
    parser.add_argument("--gen", type=Path, default=ROOT.parent / "shared/tools/gen_feeds.py")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (apt-get install {tool})")
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # nginx workers run as an unprivileged user
        config = prepare(folder, args.events, args.seed, args.gen)
        size = (folder / "www" / "calendar.ics").stat().st_size
        nginx, nport = start_nginx(folder)
        try:
            ours = {"nginx": measure(nport, args)}
        finally:
            stop(nginx)
        counts = [int(n) for n in args.workers.split(",")]
        for workers in counts:
            serve, sport = start_serve(config, workers)
            try:
                ours[f"serve --workers {workers}"] = measure(sport, args)
                if workers == counts[-1]:
                    sync_rps, sync_p99, took = during_sync(config, sport, args)
            finally:
                stop(serve)
        label = f"serve --workers {counts[-1]}, sync running"
    report(ours, size, args, (label, sync_rps, sync_p99, took))


def report(rows: dict[str, dict[str, tuple[float, float]]], size: int,
           args: argparse.Namespace, sync: tuple[str, float, float, float]) -> None:
    base = rows["nginx"]
    print(f"\nfeed: {args.events} events, {size / 1e6:.1f} MB; wrk -t{args.threads} "
          f"-c{args.connections} -d{args.duration:g}s; {os.cpu_count()} CPUs\n")
    print("| server | 200/s | % of nginx | 304/s | % of nginx | p99 304 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r['200'][0]:,.0f} | {100 * r['200'][0] / base['200'][0]:.0f}% "
              f"| {r['304'][0]:,.0f} | {100 * r['304'][0] / base['304'][0]:.0f}% "
              f"| {r['304'][1]:.2f} |")
    label, rps, p99, took = sync
    print(f"| {label} | | | {rps:,.0f} | "
          f"{100 * rps / base['304'][0]:.0f}% | {p99:.2f} |")
    print(f"\n(sync --once --force took {took:.1f}s beside the load)")


if __name__ == "__main__":
    main()
