"""Suppliers belong to an engagement: a ``Supplier`` row links a company to each engagement
whose forms offer it.

Existing companies are linked to every engagement that used them (quotes, installers of
positions and connections, installation days, members' organisations); a company nobody used
goes to every engagement (each keeps what its forms offered). Two companies of one normalised
name in one engagement (the duplicates of an earlier race) link the older one only.
"""

import unicodedata

import django.db.models.deletion
import engagements.unique
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _key(name):
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def link_suppliers(apps, schema_editor):
    Organisation = apps.get_model("engagements", "Organisation")
    Engagement = apps.get_model("engagements", "Engagement")
    Supplier = apps.get_model("procurement", "Supplier")
    uses = [
        (apps.get_model("procurement", "Quote"), "supplier_id"),
        (apps.get_model("procurement", "Position"), "installer_id"),
        (apps.get_model("procurement", "Connection"), "installer_id"),
        (apps.get_model("procurement", "InstallationDay"), "company_id"),
        (apps.get_model("engagements", "Membership"), "organisation_id"),
    ]
    every = list(Engagement.objects.order_by("pk").values_list("pk", flat=True))
    taken = set()
    for company in Organisation.objects.filter(kind="company").order_by("pk"):
        engagement_ids = set()
        for model, column in uses:
            engagement_ids.update(model.objects.filter(**{column: company.pk})
                                  .values_list("engagement_id", flat=True))
        for engagement_id in sorted(engagement_ids) or every:
            key = _key(company.name)
            if (engagement_id, key) in taken:
                continue
            taken.add((engagement_id, key))
            Supplier.objects.create(engagement_id=engagement_id, organisation=company,
                                    name_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0004_perf2_stage_progress_snapshot'),
        ('procurement', '0002_upload_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSupplier',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name_key', models.CharField(editable=False, max_length=200, verbose_name='name (normalised)')),
                ('added_at', models.DateTimeField(blank=True, editable=False, verbose_name='added at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('engagement', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='engagements.engagement', verbose_name='engagement')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='engagements.organisation', verbose_name='company')),
            ],
            options={
                'verbose_name': 'historical supplier',
                'verbose_name_plural': 'historical suppliers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Supplier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_key', models.CharField(editable=False, max_length=200, verbose_name='name (normalised)')),
                ('added_at', models.DateTimeField(auto_now_add=True, verbose_name='added at')),
                ('engagement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='engagements.engagement', verbose_name='engagement')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='engagements.organisation', verbose_name='company')),
            ],
            options={
                'verbose_name': 'supplier',
                'verbose_name_plural': 'suppliers',
                'ordering': ['engagement', 'name_key'],
                'constraints': [models.UniqueConstraint(fields=('engagement', 'name_key'), name='supplier_unique_name_in_engagement'), models.UniqueConstraint(fields=('engagement', 'organisation'), name='supplier_unique_company_in_engagement')],
            },
            bases=(engagements.unique.UniqueMessagesMixin, models.Model),
        ),
        migrations.RunPython(link_suppliers, migrations.RunPython.noop),
    ]
