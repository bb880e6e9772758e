"""(1 of 2) The reveal log also records numbers kept outside any person's record (a hotline caller's number on a petition):
the person becomes optional, the record is named instead, and each entry carries its district for scoping. The
district is filled here and made required in 0005: PostgreSQL refuses to alter a table in the transaction that
left deferred foreign-key checks pending on it."""

import django.db.models.deletion
from django.db import migrations, models


def fill_districts(apps, schema_editor):
    Access = apps.get_model("communities", "PersonalDataAccess")
    Person = apps.get_model("communities", "Person")
    Access.objects.update(
        district_id=models.Subquery(Person.objects.filter(pk=models.OuterRef("person_id")).values("district_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_person_history_without_numbers"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaldataaccess",
            name="district",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="communities.district", verbose_name="district",
            ),
        ),
        migrations.RunPython(fill_districts, migrations.RunPython.noop),
    ]
