"""make bench: query count and median server time of each main page, at seed and city scale.

Uses its own SQLite file (or BENCH_DATABASE_URL) so that it never touches the app's data.
Prints one table; the query count of a page must be the same at both scales.
"""

import os
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
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.generate import generate  # noqa: E402
from bench.pages import LIMITS, OPERATIONS, PAGES  # noqa: E402
from engagements.models import Membership  # noqa: E402

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
        client.get(url)  # warm-up: template loading, caches
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            # Count now: the next request clears the query log (request_started).
            query_count = len(queries)
        memory = peak_memory_mib(lambda: client.get(url))  # noqa: B023 (called at once)
        results[label] = (
            query_count, statistics.median(times) * 1000, response.status_code, memory
        )
    for label, operation in OPERATIONS:
        times = []
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            operation(engagement)
            times.append(time.perf_counter() - start)
        query_count = len(queries)
        memory = peak_memory_mib(lambda: operation(engagement))  # noqa: B023 (called at once)
        results[label] = (query_count, statistics.median(times) * 1000, 0, memory)
    return results


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    rows = {}
    for scale in ("seed", "city"):
        start = time.perf_counter()
        engagements = generate(scale)
        took = time.perf_counter() - start
        print(f"generated {scale} scale: {len(engagements)} engagements in {took:.1f} s")
        # At city scale, measure an office engagement (the largest data set), not the seed.
        rows[scale] = measure(engagements[-1])
    labels = list(rows["seed"])
    width = max(len(label) for label in labels) + 2
    print()
    print(
        f"{'page':<{width}} {'queries seed':>12} {'queries city':>12} "
        f"{'ms seed':>9} {'ms city':>9} {'MiB city':>9}  status"
    )
    print("-" * (width + 72))
    grows = []
    for label in labels:
        q_seed, ms_seed, status, _mib = rows["seed"][label]
        q_city, ms_city, _status, mib_city = rows["city"][label]
        flag = "" if q_seed == q_city or label in LIMITS else "  ← query count grows"
        if label in LIMITS and (ms_city > LIMITS[label][0] or mib_city > LIMITS[label][1]):
            limit_ms, limit_mib = LIMITS[label]
            flag = f"  ← over {limit_ms / 1000:.0f} s or {limit_mib:.0f} MiB"
        if flag:
            grows.append(label)
        print(
            f"{label:<{width}} {q_seed:>12} {q_city:>12} {ms_seed:>9.1f} {ms_city:>9.1f} "
            f"{mib_city:>9.1f}  {status or '-'}{flag}"
        )
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main())
