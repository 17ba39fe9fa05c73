import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from engagements.choices import OrganisationKind, Role
from engagements.models import Engagement, Organisation

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    """Every table's row count, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes"}
    }


def test_seed_demo_is_idempotent():
    # given the demo loaded once
    call_command("seed_demo")
    first = _row_counts()
    # when it runs again
    call_command("seed_demo")
    # then no table changed, history tables included
    assert _row_counts() == first


def test_seed_demo_loads_the_seed_engagement_and_its_people():
    call_command("seed_demo")
    engagement = Engagement.objects.get(title__startswith="働き方改革につながる職場環境")
    assert engagement.client.full_name == "京都市 文化市民局 地域自治推進室"
    assert engagement.section.name == "区政・スマート区役所推進担当"
    assert engagement.desk_count == 19
    roles = dict(engagement.memberships.values_list("user__username", "role"))
    assert roles == {
        "city": Role.CITY_STAFF,
        "contractor": Role.CONTRACTOR,
        "admin": Role.ADMINISTRATOR,
    }
    city = get_user_model().objects.get(username="city")
    assert city.check_password("city-demo-pass")


def test_seed_demo_has_the_bessi2_sections_and_the_14_offices():
    call_command("seed_demo")
    office = Organisation.objects.get(name="地域自治推進室")
    section_names = set(
        Organisation.objects.filter(kind=OrganisationKind.SECTION).values_list("name", flat=True)
    )
    assert {
        "区政・スマート区役所推進担当",
        "市民窓口企画担当",
        "マイナンバー担当",
        "市民活動支援担当",
        "地域づくり推進担当",
        "サポートセンター",
    } <= section_names
    assert office.head_title == "室長"
    offices = Organisation.objects.filter(
        kind__in=[OrganisationKind.WARD_OFFICE, OrganisationKind.BRANCH]
    )
    assert offices.count() == 14
    assert offices.filter(kind=OrganisationKind.BRANCH).count() == 3
    assert offices.filter(name="伏見区役所醍醐支所", parent__name="伏見区役所").exists()
