import datetime as dt

from reports.schedule import Row


def rows(engagement):
    return [Row("什器の設置", dt.date(2026, 10, 5), dt.date(2026, 10, 6), "調達・設置")]
