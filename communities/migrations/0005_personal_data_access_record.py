"""(2 of 2) The reveal log's district required, the person optional, the record named when there is no person."""

import django.db.models.deletion
from django.db import migrations, models


def refuse_to_lose_entries(apps, schema_editor):
    """Going back would make the person required again: entries of hotline numbers (no person) would block it or
    be lost. The reveal log is an audit trail, so this migration does not go back while such entries exist."""
    Access = apps.get_model("communities", "PersonalDataAccess")
    count = Access.objects.filter(person__isnull=True).count()
    if count:
        raise RuntimeError(f"{count} reveal log entries name no person (numbers given on the hotline); "
                           "unapplying this migration would lose them.")


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_personal_data_access_outside_person_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="personaldataaccess",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="communities.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="personaldataaccess",
            name="person",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="communities.person", verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="record",
            field=models.CharField(
                blank=True, help_text="Where the number was read when it is no person's record.", max_length=100,
                verbose_name="record",
            ),
        ),
        migrations.AddConstraint(
            model_name="personaldataaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(("person__isnull", False), models.Q(("record", ""), _negated=True), _connector="OR"),
                name="personal_data_access_names_record",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, refuse_to_lose_entries),
    ]
