"""Run by tests/test_apart_migrations.py (``python -m tests.apart_migration_script``) in a
separate process with migrations on: build the data of before the catalogue and suppliers
belonged to an engagement, migrate, print JSON."""

import datetime as dt
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office_reform.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("proposals", "0003_statuschange_on_the_shared_base"),
          ("procurement", "0001_procurement_stage"),
          ("engagements", "0004_perf2_stage_progress_snapshot")]

AFTER = [("proposals", "0004_catalogue_per_engagement_frozen_approval"),
         ("procurement", "0003_suppliers_per_engagement"),
         ("engagements", "0007_membership_edit_version")]


def build(apps) -> dict:
    Organisation = apps.get_model("engagements", "Organisation")
    Engagement = apps.get_model("engagements", "Engagement")
    Membership = apps.get_model("engagements", "Membership")
    User = apps.get_model("auth", "User")
    city = Organisation.objects.create(name="京都市", kind="city")

    def engagement(title):
        return Engagement.objects.create(
            title=title, client=city, section=city, building="本庁舎", floor="3階",
            contract_start=dt.date(2026, 4, 1), contract_end=dt.date(2027, 3, 31),
            fiscal_year=2026, contractor="受託者")

    e1, e2, e3 = engagement("A"), engagement("B"), engagement("C")
    Item = apps.get_model("proposals", "CatalogueItem")
    shared = Item.objects.create(kind="desk", name="机", width_mm=1200, depth_mm=700,
                                 unit_price_yen=100)
    Item.objects.create(kind="desk", name="未使用", width_mm=1, depth_mm=1, unit_price_yen=5)
    Floor = apps.get_model("survey", "Floor")
    Proposal = apps.get_model("proposals", "Proposal")
    Alternative = apps.get_model("proposals", "Alternative")
    LayoutItem = apps.get_model("proposals", "LayoutItem")
    WorkListItem = apps.get_model("proposals", "WorkListItem")
    for e, status in ((e1, "approved"), (e2, "draft")):
        floor = Floor.objects.create(engagement=e, name="3階", width_mm=9000, depth_mm=9000)
        alternative = Alternative.objects.create(
            proposal=Proposal.objects.create(engagement=e, title="提案"), label="案A",
            status=status)
        LayoutItem.objects.create(alternative=alternative, engagement=e, floor=floor,
                                  action="new", catalogue_item=shared, x_mm=0, y_mm=0,
                                  width_mm=1200, depth_mm=700)
        if status == "approved":
            WorkListItem.objects.create(alternative=alternative, kind="procure",
                                        catalogue_item=shared, quantity=1, unit_price_yen=100,
                                        description="机")
    used = Organisation.objects.create(name="株式会社Ａ家具", kind="company", sort_order=1)
    twin = Organisation.objects.create(name="株式会社A家具", kind="company", sort_order=2)
    Organisation.objects.create(name="株式会社未使用", kind="company", sort_order=3)
    for n, company in enumerate((used, twin)):
        user = User.objects.create(username=f"u{n}")
        Membership.objects.create(engagement=e1, user=user, role="contractor",
                                  organisation=company)
    return {"e": [e1.pk, e2.pk, e3.pk], "used": used.pk, "twin": twin.pk}


def main() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    made = build(executor.loader.project_state(BEFORE).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # The models as of AFTER (later migrations of other work may add columns).
    apps = MigrationExecutor(connection).loader.project_state(AFTER).apps
    Supplier = apps.get_model("procurement", "Supplier")
    CatalogueItem = apps.get_model("proposals", "CatalogueItem")
    LayoutItem = apps.get_model("proposals", "LayoutItem")
    WorkListItem = apps.get_model("proposals", "WorkListItem")

    made["items"] = sorted([c.name, c.engagement_id] for c in CatalogueItem.objects.all())
    made["layout"] = sorted(
        [i.engagement_id, i.catalogue_item.engagement_id, i.catalogue_name,
         i.catalogue_unit_price_yen] for i in LayoutItem.objects.select_related("catalogue_item"))
    made["work"] = [[w.alternative.proposal.engagement_id, w.catalogue_item.engagement_id]
                    for w in WorkListItem.objects.all()]
    made["suppliers"] = sorted([s.engagement_id, s.organisation.name]
                               for s in Supplier.objects.select_related("organisation"))
    json.dump(made, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
