"""Load test on loopback: gunicorn with the production settings, 3 workers, signed-in clients.

Each page is requested by ``BENCH_LOAD_CLIENTS`` (50) concurrent connections for
``BENCH_LOAD_SECONDS`` (15) seconds, with wrk (Debian package ``wrk``) when it is installed,
else with a small Python client (threads, keep-alive). The sign-in page is the baseline: a
page under half its requests per second, or any error, is flagged.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
GOAL_RATIO = 0.5
LOAD_SETTINGS = "bench.load_settings"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, '
    .. '"p95": %f, "p99": %f}\\n', summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(static_root: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": LOAD_SETTINGS,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions below are signed with it
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_STATIC_ROOT": static_root,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "PYTHONPATH": str(ROOT),
    })
    return env


def _wait_for(port: int, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _wrk(url: str, cookie: str | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = ["wrk", "-t", "2", "-c", str(CLIENTS), "-d", f"{SECONDS}s", "--timeout", "30s",
                   "-s", script.name, url]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        os.unlink(script.name)


def _python_client(url: str, cookie: str | None) -> dict:
    """The fallback client: CLIENTS threads, each with one keep-alive connection."""
    host_port, path = url.removeprefix("http://").split("/", 1)
    host, port = host_port.split(":")
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + SECONDS
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", "/" + path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                errors[0] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - began
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else 0

    return {"requests": len(latencies), "seconds": took, "errors": errors[0],
            "p50": pct(50), "p95": pct(95), "p99": pct(99)}


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _url(names, kwargs) -> str | None:
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def load_test(pages) -> tuple[list[tuple], list[str]]:
    """``pages``: (label, url_names, kwargs, user or None). Returns the rows and the flags."""
    if shutil.which("gunicorn") is None and not (Path(sys.executable).parent / "gunicorn").exists():
        return [], ["load test: gunicorn is not installed"]
    client = _wrk if shutil.which("wrk") else _python_client
    static_root = tempfile.mkdtemp(prefix="office_reform_bench_static_")
    env = _environment(static_root)
    rows, flags = [], []
    try:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput",
                        "-v0"], env=env, check=True, cwd=ROOT)
        connection.close()  # gunicorn's workers open their own connections
        port = _free_port()
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
        server = subprocess.Popen(
            [gunicorn, "office_reform.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "--timeout", "60"],
            env=env, cwd=ROOT,
        )
        try:
            _wait_for(port, server)
            baseline = None
            for label, names, kwargs, user in pages:
                path = _url(names, kwargs)
                if path is None:
                    rows.append((label, None))
                    continue
                cookie = _session_cookie(user) if user is not None else None
                url = f"http://127.0.0.1:{port}{path}"
                _python_single(url, cookie)  # warm-up and status check
                result = client(url, cookie)
                result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
                if baseline is None:
                    baseline = result["rps"] or 1
                result["ratio"] = result["rps"] / baseline
                if result["errors"]:
                    flags.append(f"load: {label}: {result['errors']} errors")
                if result["ratio"] < GOAL_RATIO:
                    flags.append(f"load: {label}: {result['ratio']:.2f}× the sign-in page "
                                 f"(goal ≥ {GOAL_RATIO}×)")
                rows.append((label, result))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return rows, flags


def _python_single(url: str, cookie: str | None) -> None:
    host_port, path = url.removeprefix("http://").split("/", 1)
    host, port = host_port.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("GET", "/" + path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status >= 400:
        raise RuntimeError(f"load test: {url} answers {response.status}")


def print_load(rows) -> None:
    print()
    print(f"load test: {CLIENTS} clients × {SECONDS} s per page, gunicorn {WORKERS} workers "
          f"(production settings), {'wrk' if shutil.which('wrk') else 'Python client'}")
    print(f"{'page':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'ratio':>6}")
    print("-" * 84)
    for label, result in rows:
        if result is None:
            print(f"{label:<34} {'— (no such page on this branch)':>49}")
            continue
        flag = "  ← under 0.5×" if result["ratio"] < GOAL_RATIO else ""
        print(f"{label:<34} {result['rps']:>8.1f} {result['p50']:>8.0f} {result['p95']:>8.0f} "
              f"{result['p99']:>8.0f} {result['errors']:>7} {result['ratio']:>5.2f}×{flag}")
