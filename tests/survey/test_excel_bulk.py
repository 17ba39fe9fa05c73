"""The import's bulk writes (``survey.excel.bulk``) store every value as it is: on PostgreSQL
through COPY's text format, elsewhere through statements."""

from decimal import Decimal

import pytest
from django.db import connection

from survey.excel import bulk
from survey.models import Desk

pytestmark = pytest.mark.django_db

AWKWARD = ["", "\\N", "a\tb", "line 1\nline 2\r\nline 3", "C:\\書庫\\棚", "'quoted' \"too\"",
           "NULL", "末尾の空白 "]


def test_awkward_text_nulls_booleans_and_decimals_survive_the_bulk_insert(engagement, floor,
                                                                         city_user):
    objs = [Desk(engagement=engagement, floor=floor, number=f"X{n}", width_mm=1200,
                 depth_mm=700, notes=text, section=None, has_pc=n % 2 == 0,
                 document_fm=Decimal("1.25") * n)
            for n, text in enumerate(AWKWARD)]
    bulk.create_with_history(objs, Desk, key="number", scope={"engagement": engagement},
                             user=city_user, reason="test")
    stored = {d.number: d for d in Desk.objects.filter(engagement=engagement)}
    for n, text in enumerate(AWKWARD):
        desk = stored[f"X{n}"]
        assert desk.notes == text, connection.vendor
        assert desk.section_id is None and desk.has_pc is (n % 2 == 0)
        assert desk.document_fm == Decimal("1.25") * n
        assert objs[n].pk == desk.pk
    history = Desk.history.filter(number="X2").get()
    assert history.notes == "a\tb" and history.history_type == "+"
    assert history.history_user_id == city_user.pk and history.history_change_reason == "test"
