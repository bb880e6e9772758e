# The notification's user loses its own single-column index (ADR 0012): `notification_inbox` (user, created_at)
# serves its lookups and its key's checks, and every notice wrote both. Only the index goes (Django's AlterField
# would drop and re-validate the foreign key over the whole table): a DROP INDEX of Django's own index on that one
# column, found by introspection (its name carries a hash).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Index


def drop_index(apps, schema_editor):
    model = apps.get_model("notifications", "notification")
    column = model._meta.get_field("user").column
    meta = [index.name for index in model._meta.indexes]
    for name in schema_editor._constraint_names(model, [column], index=True, unique=False, type_=Index.suffix,
                                                exclude=meta):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_index(apps, schema_editor):
    model = apps.get_model("notifications", "notification")
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field("user")]))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0004_remove_petition"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="user",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="notifications", to=settings.AUTH_USER_MODEL,
                                            verbose_name="user"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
