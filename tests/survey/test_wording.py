"""Japanese wording: unique constraints name the value next to the field, 机下収納「なし」,
「1人当たり」 throughout, list filters' empty choice 「すべて」."""

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.urls import reverse

from engagements.unique import UniqueMessagesMixin

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"engagements", "survey", "proposals", "procurement", "disposal", "meetings",
                "reports"}
# Rows only the system writes (a new minutes version is numbered by the service; stored analysis
# results; plan and order lines copied by the procurement services; report versions numbered
# and report texts kept one per chapter by the reports services).
SYSTEM_ONLY = {
    "minutes_unique_version", "observation_unique_desk", "deskresult_unique_desk",
    "planline_one_per_catalogue_item", "orderline_unique", "quoteline_unique",
    "reportversion_unique_number", "reporttext_unique_chapter",
}


def _user_facing_unique_checks():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for constraint in model._meta.constraints:
            if (isinstance(constraint, UniqueConstraint) and constraint.fields
                    and constraint.condition is None and constraint.name not in SYSTEM_ONLY):
                yield model, tuple(constraint.fields)
        for field in model._meta.concrete_fields:
            # (a one-to-one to the engagement is made by a service: one plan per engagement)
            if field.unique and not field.primary_key and not field.one_to_one:
                yield model, (field.name,)


def test_every_unique_constraint_users_can_hit_has_a_japanese_message():
    missing = [
        f"{model.__name__}{fields}" for model, fields in _user_facing_unique_checks()
        if not (issubclass(model, UniqueMessagesMixin) and fields in model.unique_messages)
    ]
    assert missing == []


def test_a_duplicate_desk_number_names_the_number_next_to_the_field(engagement, floor, desk,
                                                                    make_desk):
    from survey.models import Desk

    duplicate = Desk(engagement=engagement, floor=floor, number=desk.number, width_mm=1200,
                     depth_mm=700)
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["number"] == ["机番号 01 はこの案件にすでにあります。"]


def test_a_duplicate_round_names_the_era_date_and_time(engagement, city_user):
    import datetime as dt

    from survey.models.occupancy import OccupancyRound, OccupancyStudy

    study = OccupancyStudy.objects.create(engagement=engagement, name="在席率調査")
    OccupancyRound.objects.create(study=study, date=dt.date(2026, 7, 13), time=dt.time(9, 30))
    duplicate = OccupancyRound(study=study, date=dt.date(2026, 7, 13), time=dt.time(9, 30))
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["time"] == [
        "この調査には 令和8年7月13日 09:30 の巡回がすでにあります。"
    ]


def test_a_duplicate_catalogue_name_uses_the_catalogue_message(engagement):
    from proposals.models import CatalogueItem

    item = CatalogueItem.objects.create(engagement=engagement, kind="desk",
                                        name="フリーアドレスデスク",
                                        width_mm=1200, depth_mm=700, unit_price_yen=50000)
    duplicate = CatalogueItem(engagement=engagement, kind=item.kind, name=item.name,
                              width_mm=1200, depth_mm=700, unit_price_yen=1)
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["name"] == [
        "「フリーアドレスデスク」はこの案件の製品カタログにすでにあります。"
    ]


def test_under_desk_storage_none_reads_nashi(client, city_user, engagement, desk):
    from survey.choices import UnderDeskStorage

    assert str(UnderDeskStorage.NONE.label) == "なし"
    client.force_login(city_user)
    html = client.get(reverse("survey:desk_update", args=[engagement.pk, desk.pk])).content \
        .decode()
    assert '<option value="none"' in html
    assert ">None<" not in html


def test_per_person_is_written_hitori_atari_everywhere():
    base = Path(settings.BASE_DIR)
    catalogues = [p for p in base.glob("*/locale/ja/LC_MESSAGES/django.po")] + [
        base / "locale/ja/LC_MESSAGES/django.po"]
    written = [e.msgstr for p in catalogues for e in polib.pofile(str(p)) if not e.obsolete]
    assert not [s for s in written if "人あたり" in s]
    assert any("1人当たり" in s for s in written)


def test_list_filters_offer_subete_not_dashes(client, city_user, engagement, desk):
    client.force_login(city_user)
    html = client.get(reverse("survey:desk_list", args=[engagement.pk])).content.decode()
    assert '<option value="" selected>すべて</option>' in html
    assert "---------" not in html
