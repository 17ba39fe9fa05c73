"""Alternatives' status changes on ``engagements.workflow.StatusChangeBase``: ``changed_at``
becomes ``at`` (renamed, rows kept), set by the workflow like every other status-change row."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0002_security_edit_versions"),
    ]

    operations = [
        migrations.RenameField("statuschange", "changed_at", "at"),
        migrations.RenameField("historicalstatuschange", "changed_at", "at"),
        migrations.AlterField(
            model_name="statuschange", name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="historicalstatuschange", name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        *[migrations.AlterField(
            model_name=model, name="old_status",
            field=models.CharField(blank=True, choices=[
                ("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned"),
                ("approved", "Approved")], max_length=20, verbose_name="from"),
        ) for model in ("statuschange", "historicalstatuschange")],
        migrations.AlterModelOptions(
            name="statuschange",
            options={"ordering": ["at", "pk"], "verbose_name": "status change",
                     "verbose_name_plural": "status changes"},
        ),
    ]
