"""Run one call from many threads at once, for tests of creation under a race.

Each thread has its own database connection (closed at the end); a barrier releases them
together. Use with ``pytest.mark.django_db(transaction=True)`` so the threads see committed
data.

On PostgreSQL the calls really overlap (the race the unique constraints and ``save_new`` are
for). SQLite's in-memory test database refuses a second writer at once ("database table is
locked") instead of waiting, so there the calls run one after the other: the outcome asserted
(one row, the others refused with a message, no 500) is the same, the race itself is proven
on PostgreSQL.
"""

import contextlib
import threading

from django.db import connection

RACERS = 20


def race(call, racers: int = RACERS) -> list:
    """``call(i)`` in ``racers`` threads released together; each result, or the exception
    raised, in thread order."""
    barrier = threading.Barrier(racers)
    results: list = [None] * racers
    serial = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def run(i):
        try:
            barrier.wait()
            with serial:
                results[i] = call(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
