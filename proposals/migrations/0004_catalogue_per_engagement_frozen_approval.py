"""The furniture catalogue belongs to an engagement; an approved alternative keeps its items'
names and prices.

Each catalogue item goes to every engagement that uses it (layout items, work lists,
procurement plan lines): the first such engagement keeps the row (and its history), each other
one gets a copy, and its references are re-pointed to the copy. An item nobody uses goes to
every engagement (each keeps what it could choose from); with no engagement at all it is
deleted. Layout items of alternatives approved before this migration take the name, price and
facts their catalogue item has now (the best record there is).
"""

import django.db.models.deletion
from django.db import migrations, models


def _references(apps):
    """Every model pointing at a catalogue item, with the path to its engagement."""
    return [
        (apps.get_model("proposals", "LayoutItem"), "engagement_id"),
        (apps.get_model("proposals", "WorkListItem"), "alternative__proposal__engagement_id"),
        (apps.get_model("procurement", "PlanLine"), "engagement_id"),
    ]


def catalogue_per_engagement(apps, schema_editor):
    CatalogueItem = apps.get_model("proposals", "CatalogueItem")
    Engagement = apps.get_model("engagements", "Engagement")
    every = list(Engagement.objects.order_by("pk").values_list("pk", flat=True))
    references = _references(apps)
    copied = [f.attname for f in CatalogueItem._meta.concrete_fields
              if f.attname not in ("id", "engagement_id")]
    for item in CatalogueItem.objects.order_by("pk"):
        users = set()
        for model, path in references:
            users.update(model.objects.filter(catalogue_item_id=item.pk)
                         .values_list(path, flat=True))
        targets = sorted(users) or every
        if not targets:
            item.delete()
            continue
        first, *others = targets
        item.engagement_id = first
        item.save(update_fields=["engagement"])
        for engagement_id in others:
            twin = CatalogueItem.objects.create(
                engagement_id=engagement_id, **{name: getattr(item, name) for name in copied})
            for model, path in references:
                model.objects.filter(catalogue_item_id=item.pk, **{path: engagement_id}).update(
                    catalogue_item_id=twin.pk)


FROZEN = ("name", "unit_price_yen", "tax_class", "kind", "seats", "storage_fm", "outlets")


def freeze_approved(apps, schema_editor):
    LayoutItem = apps.get_model("proposals", "LayoutItem")
    rows = LayoutItem.objects.filter(alternative__status="approved",
                                     catalogue_item__isnull=False).select_related(
                                         "catalogue_item")
    for row in rows:
        entry = row.catalogue_item
        for name in FROZEN:
            setattr(row, f"catalogue_{name}", getattr(entry, name))
        row.save(update_fields=[f"catalogue_{name}" for name in FROZEN])


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0004_perf2_stage_progress_snapshot'),
        ('proposals', '0003_statuschange_on_the_shared_base'),
        # Plan lines point at catalogue items: re-pointed here, so their table must exist.
        ('procurement', '0001_procurement_stage'),
    ]

    operations = [
        migrations.AddField(
            model_name='catalogueitem',
            name='engagement',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='catalogue_items', to='engagements.engagement', verbose_name='engagement'),
        ),
        migrations.AddField(
            model_name='catalogueitem',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='version'),
        ),
        migrations.AddField(
            model_name='historicalcatalogueitem',
            name='engagement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='engagements.engagement', verbose_name='engagement'),
        ),
        migrations.AddField(
            model_name='historicalcatalogueitem',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='version'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='name as approved'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_tax_class',
            field=models.CharField(blank=True, choices=[('standard', 'Standard rate'), ('non_taxable', 'Not taxable')], max_length=20, verbose_name='tax class as approved'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_unit_price_yen',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='unit price as approved without tax (yen)'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='name as approved'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_tax_class',
            field=models.CharField(blank=True, choices=[('standard', 'Standard rate'), ('non_taxable', 'Not taxable')], max_length=20, verbose_name='tax class as approved'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_unit_price_yen',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='unit price as approved without tax (yen)'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_kind',
            field=models.CharField(blank=True, choices=[('desk', 'Desk'), ('free_address_table', 'Free-address table'), ('chair', 'Chair'), ('booth', 'Booth'), ('cabinet', 'Cabinet'), ('locker', 'Locker'), ('partition', 'Partition'), ('other', 'Other')], max_length=30, verbose_name='kind as approved'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_outlets',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='power outlets as approved'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_seats',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='seats as approved'),
        ),
        migrations.AddField(
            model_name='historicallayoutitem',
            name='catalogue_storage_fm',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='storage as approved (fm)'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_kind',
            field=models.CharField(blank=True, choices=[('desk', 'Desk'), ('free_address_table', 'Free-address table'), ('chair', 'Chair'), ('booth', 'Booth'), ('cabinet', 'Cabinet'), ('locker', 'Locker'), ('partition', 'Partition'), ('other', 'Other')], max_length=30, verbose_name='kind as approved'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_outlets',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='power outlets as approved'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_seats',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='seats as approved'),
        ),
        migrations.AddField(
            model_name='layoutitem',
            name='catalogue_storage_fm',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='storage as approved (fm)'),
        ),
        migrations.AlterField(
            model_name='catalogueitem',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='historicalcatalogueitem',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name'),
        ),
        migrations.RunPython(catalogue_per_engagement, migrations.RunPython.noop),
        migrations.RunPython(freeze_approved, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='catalogueitem',
            name='engagement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='catalogue_items', to='engagements.engagement', verbose_name='engagement'),
        ),
        migrations.AddConstraint(
            model_name='catalogueitem',
            constraint=models.UniqueConstraint(fields=('engagement', 'name'), name='catalogueitem_unique_name_in_engagement'),
        ),
    ]
