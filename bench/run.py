"""make bench: each main page at seed and city scale, a load test, the import, the report.

The database is ``BENCH_DATABASE_URL``, else ``DATABASE_URL``, else a temporary SQLite file
(never the app's own ``db.sqlite3``); the first line says which. Prints the tables:

- each page of ``bench/pages.py`` with its query count and median server time at both
  scales (the query count must not grow with the data), and at city scale the time of the
  first view after a change (what the page caches rendered again);
- a load test on loopback (``bench/load.py``: gunicorn, production settings, 3 workers,
  50 signed-in clients), each page's requests per second against the sign-in page's;
- the import of 2,100 desk rows, new and existing, against openpyxl's bare read;
- the report PDF and the electronic-data ZIP at 3,000 desks (time, peak RSS of a child
  process), and the occupancy round screen at 3,000 desks.

Exits non-zero when a query count grows or a measurement misses its goal. Temporary folders
are removed at the end. ``BENCH_SKIP_LOAD=1`` leaves out the load test.
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office_reform.settings.test")
_tmp = tempfile.mkdtemp(prefix="office_reform_bench_")
atexit.register(shutil.rmtree, _tmp, True)
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL")
    or os.environ.get("DATABASE_URL")
    or f"sqlite:///{_tmp}/bench.sqlite3"
)



def _create_postgresql_database_if_missing(url: str) -> None:
    """``make bench`` on a PostgreSQL server: the named database is created when missing."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg2

    params = dj_database_url.parse(url)
    conn = psycopg2.connect(dbname="postgres", user=params["USER"] or None,
                            password=params["PASSWORD"] or None, host=params["HOST"] or None,
                            port=params["PORT"] or None)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    conn.close()


_create_postgresql_database_if_missing(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

if Path(settings.MEDIA_ROOT).name.startswith("office_reform_test_media_"):
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, True)  # the test settings' temp folder

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import heavy, load  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.pages import LIMITS, LOAD_PAGES, OPERATIONS, PAGES  # noqa: E402
from engagements.choices import Role  # noqa: E402
from engagements.db import analyze  # noqa: E402
from engagements.models import Membership  # noqa: E402
from engagements.progress import invalidate  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def peak_memory_mib(action) -> float:
    """Peak Python memory allocated while ``action`` runs (tracemalloc), in MiB."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(engagement) -> dict[str, tuple[int, float, int, float]]:
    results = {}
    for label, url_name, kwargs, role in PAGES:
        user = Membership.objects.filter(engagement=engagement, role=role).first().user
        client = Client()
        client.force_login(user)
        url = reverse(url_name, kwargs=kwargs(engagement))
        client.get(url)  # warm-up: template loading
        invalidate(engagement.pk)  # as after a change: nothing of the engagement cached
        with CaptureQueriesContext(connection) as cold_queries:
            start = time.perf_counter()
            client.get(url)  # the first view after a change renders everything
            cold = (time.perf_counter() - start) * 1000
        cold_count = len(cold_queries)
        # A page slower than a second (the report PDF) is timed once: the median of five
        # would take minutes and say nothing more.
        times = []
        for _ in range(REPEAT if time.perf_counter() - start < 1 else 1):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            # Count now: the next request clears the query log (request_started).
            query_count = len(queries)
        memory = peak_memory_mib(lambda: client.get(url))  # noqa: B023 (called at once)
        results[label] = (
            query_count, statistics.median(times) * 1000, response.status_code, memory, cold,
            cold_count,
        )
    for label, operation in OPERATIONS:
        times = []
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            operation(engagement)
            times.append(time.perf_counter() - start)
        query_count = len(queries)
        memory = peak_memory_mib(lambda: operation(engagement))  # noqa: B023 (called at once)
        took = statistics.median(times) * 1000
        results[label] = (query_count, took, 0, memory, took, query_count)
    return results


def database_label() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"{connection.vendor} {host}/{db['NAME']}"


def _analyze() -> None:
    analyze()  # PostgreSQL: statistics of the tables just filled (after the commit: now)


def page_table(rows) -> list[str]:
    labels = list(rows["seed"])
    width = max(len(label) for label in labels) + 2
    print()
    print("(queries: repeated view / first view after a change; ms: the median of repeated"
          " views; cold: the first view after a change, when the page renders what it caches)")
    print(
        f"{'page':<{width}} {'queries seed':>12} {'queries city':>12} "
        f"{'ms seed':>9} {'ms city':>9} {'cold city':>9} {'MiB city':>9}  status"
    )
    print("-" * (width + 82))
    grows = []
    for label in labels:
        q_seed, ms_seed, status, _mib, _cold, cold_q_seed = rows["seed"][label]
        q_city, ms_city, _status, mib_city, cold_city, cold_q_city = rows["city"][label]
        same = q_seed == q_city and cold_q_seed == cold_q_city
        flag = "" if same or label in LIMITS else "  ← query count grows"
        if label in LIMITS and (ms_city > LIMITS[label][0] or mib_city > LIMITS[label][1]):
            limit_ms, limit_mib = LIMITS[label]
            flag = f"  ← over {limit_ms / 1000:.0f} s or {limit_mib:.0f} MiB"
        if flag:
            grows.append(f"{label}: query count grows ({q_seed} → {q_city}; first view after "
                         f"a change {cold_q_seed} → {cold_q_city})")
        print(
            f"{label:<{width}} {f'{q_seed}/{cold_q_seed}':>12} {f'{q_city}/{cold_q_city}':>12} "
            f"{ms_seed:>9.1f} {ms_city:>9.1f} "
            f"{cold_city:>9.1f} {mib_city:>9.1f}  {status or '-'}{flag}"
        )
    return grows


def main() -> int:
    print(f"database: {database_label()}")
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    rows = {}
    for scale in ("seed", "city"):
        start = time.perf_counter()
        engagements = generate(scale)
        _analyze()
        took = time.perf_counter() - start
        print(f"generated {scale} scale: {len(engagements)} engagements in {took:.1f} s")
        # At city scale, measure an office engagement (the largest data set), not the seed.
        rows[scale] = measure(engagements[-1])
    start = time.perf_counter()
    big = heavy.generate_big_office()
    _analyze()
    print(f"generated the {heavy.BIG_DESKS:,}-desk office in {time.perf_counter() - start:.1f} s")
    flags = page_table(rows)

    office = engagements[-1]
    imports = heavy.import_measurements(office)
    heavy.print_import(imports)
    flags += heavy.import_flags(imports)

    big_user = Membership.objects.filter(engagement=big, role=Role.CITY_STAFF).first().user
    round_ms, round_queries = heavy.round_screen_ms(big, big_user, REPEAT)
    report = heavy.measure_child("report", big.pk)
    zip_ = heavy.measure_child("zip", big.pk)
    heavy.print_heavy(report, zip_, round_ms, round_queries)
    flags += heavy.heavy_flags(report, zip_, round_ms)

    if os.environ.get("BENCH_SKIP_LOAD") != "1":
        pages = [(label, names, kwargs(office), _user(office, role) if role else None)
                 for label, names, kwargs, role in LOAD_PAGES]
        load_rows, load_flags = load.load_test(pages)
        load.print_load(load_rows)
        flags += load_flags
    print()
    if flags:
        print("missed goals:")
        for flag in flags:
            print(f"  - {flag}")
        return 1
    print("every goal met")
    return 0


def _user(engagement, role):
    return Membership.objects.filter(engagement=engagement, role=role).first().user


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        heavy.child(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
