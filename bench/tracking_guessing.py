"""Other pages' latency while 8 addresses guess tracking codes, and the right code from a fresh client.

Guessers never wait: a failure past the free ones puts the guessing address on hold, and its attempts
are refused at once (429, Retry-After) instead of sleeping in a worker. Each guesser hammers the API
from its own address (X-Forwarded-For, one proxy hop) and ignores Retry-After, as an attacker would;
the per-client attempt limit is raised so that the holds, not that limit, are what is measured.
Counts are shared by the workers through Redis database 13 on 127.0.0.1 (memory if none answers).
The database is `sora_bench` or BENCH_DATABASE_URL (its name must start with sora_bench), made anew.

    .venv/bin/python bench/tracking_guessing.py --seconds 10
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import database_url, gunicorn, median, recreate_database  # noqa: E402


def prepare(url: str) -> tuple[str, str]:
    """A migrated database with one unit and one report; its number and tracking code."""
    from flask_migrate import upgrade

    from app import create_app
    from app.codes import Nature, Phenomenon
    from app.demo import seed_demo
    from app.extensions import db
    from app.workflow.reports.catalog import active_units
    from app.workflow.reports.filing import ReportInput, file_report

    recreate_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TRACKING_KEY": "bench"})
    with app.app_context():
        upgrade()
        seed_demo(0, "bench-password")
        db.session.commit()
        filed = file_report(ReportInput(unit=active_units()[0], nature=Nature.NEGATIVE, phenomenon=Phenomenon.CLIENT_WORK,
                                        description="Vertailuraportti."))
        number, code = filed.number, filed.tracking_code
        db.session.commit()
        db.engine.dispose()
    return number, code


def request(port: int, method: str, path: str, body: dict[str, str] | None = None,
            address: str = "192.0.2.1") -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        headers = {"X-Forwarded-For": address, "Content-Type": "application/json"}
        connection.request(method, path, json.dumps(body) if body else None, headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def page_latencies(port: int, seconds: float, limit: int = 5000) -> list[float]:
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at and len(latencies) < limit:
        status, took = request(port, "GET", "/guidance", address="192.0.2.200")
        assert status == 200, status
        latencies.append(took)
    return latencies


def redis_uri() -> str:
    try:
        import redis

        store = redis.Redis(host="127.0.0.1", port=6379, db=13, socket_connect_timeout=1)
        store.ping()
        store.flushdb()
        return "redis://127.0.0.1:6379/13"
    except Exception:  # noqa: BLE001 - no Redis: each worker counts alone
        return "memory://"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--guessers", type=int, default=8)
    parser.add_argument("--max-guesses", type=int, default=200_000, help="cap on all guesses together")
    args = parser.parse_args()

    url = database_url()
    number, code = prepare(url)
    storage = redis_uri()
    env = {"SORA_DATABASE_URL": url, "SORA_SECRET_KEY": "bench", "SORA_TRACKING_KEY": "bench", "SORA_MAIL_SERVER": "",
           "SORA_PROXY_HOPS": "1", "SORA_RATELIMIT_STORAGE_URI": storage,
           "SORA_TRACKING_ATTEMPT_LIMIT": "1000000 per hour"}
    with gunicorn("app:create_app()", env, args.workers) as port:
        for _ in range(20):
            request(port, "GET", "/guidance")
        quiet = page_latencies(port, args.seconds / 2)

        stop = threading.Event()
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def guess(index: int) -> None:
            sent = 0
            while not stop.is_set() and sent < args.max_guesses // args.guessers:
                status, _took = request(port, "POST", "/api/v1/reports/track",
                                        {"number": number, "code": f"WRONG-{index}-{sent}"}, f"198.51.100.{index + 1}")
                sent += 1
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=guess, args=(index,), daemon=True) for index in range(args.guessers)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        busy = page_latencies(port, args.seconds)
        right_status, right_took = request(port, "POST", "/api/v1/reports/track", {"number": number, "code": code},
                                           "203.0.113.9")
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    print(f"storage {storage.split(':')[0]}, {args.workers} Gunicorn workers, {args.guessers} guessing addresses")
    print()
    print("| | requests | median ms | 95 % ms | worst ms |")
    print("|---|---:|---:|---:|---:|")
    for name, values in (("/guidance, nobody guessing", quiet), ("/guidance, while guessing", busy)):
        ordered = sorted(values)
        print(f"| {name} | {len(values)} | {median(values) * 1000:.1f} | {ordered[int(0.95 * len(ordered))] * 1000:.1f} "
              f"| {ordered[-1] * 1000:.1f} |")
    print()
    print(f"guesses answered: {sum(statuses.values())} ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))})")
    print(f"right code from a fresh address while guessing: {right_status} in {right_took * 1000:.1f} ms")
    return 0 if right_status == 200 and median(busy) < 0.05 else 1


if __name__ == "__main__":
    raise SystemExit(main())
