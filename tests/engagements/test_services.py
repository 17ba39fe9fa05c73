import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from engagements.models import Engagement
from engagements.services import engagement_create

pytestmark = pytest.mark.django_db


def test_engagement_create_refuses_a_contract_that_ends_before_it_starts(engagement):
    with pytest.raises(ValidationError) as excinfo:
        engagement_create(
            title="逆転した契約",
            client=engagement.client,
            section=engagement.section,
            building="本庁舎",
            floor="1階",
            contract_start=dt.date(2027, 3, 1),
            contract_end=dt.date(2026, 4, 1),
            fiscal_year=2026,
            contractor="株式会社テスト",
        )
    assert "contract_end" in excinfo.value.message_dict
    assert not Engagement.objects.filter(title="逆転した契約").exists()


def test_engagement_create_records_its_creation(engagement, make_user):
    actor = make_user("actor")
    created = engagement_create(
        title="新しい案件",
        client=engagement.client,
        section=engagement.section,
        building="本庁舎",
        floor="1階",
        contract_start=dt.date(2026, 4, 1),
        contract_end=dt.date(2027, 3, 31),
        fiscal_year=2026,
        contractor="株式会社テスト",
        actor=actor,
    )
    record = created.history.get()
    assert record.history_type == "+"
    assert record.history_user == actor
