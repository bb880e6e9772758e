# The foreign keys whose column leads a composite index lose their own single-column index (ADR 0012): the
# composite serves their lookups and their key's checks, and every new petition wrote both. Only the index goes:
# Django's AlterField would drop and re-validate each foreign key over the whole table, so the database side is
# a DROP INDEX of Django's own index on that one column (found by introspection; its name carries a hash).
# The compound's composite becomes (compound, created_at): its page and a commissioner's list read a compound's
# petitions newest first, which (compound, category, created_at) could not give in order.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Index

FIELDS = [("petition", "district"), ("petition", "street"), ("petition", "community"), ("petition", "compound"),
          ("petition", "handler_firm"), ("petition", "reporter"), ("petitionevent", "petition")]


def drop_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("petitions", model_name)
        column = model._meta.get_field(field_name).column
        meta = [index.name for index in model._meta.indexes]
        for name in schema_editor._constraint_names(model, [column], index=True, unique=False, type_=Index.suffix,
                                                    exclude=meta):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("petitions", model_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field(field_name)]))


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0008_compound_coordinates_and_district_boundary"),
        ("petitions", "0008_figures_rates_of_counted_petitions"),
        ("properties", "0004_fallback_constraint_message"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["compound", "created_at"], name="petition_compound_created"),
        ),
        migrations.RemoveIndex(model_name="petition", name="petition_duplicates"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="petition",
                    name="community",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="communities.community", verbose_name="community"),
                ),
                migrations.AlterField(
                    model_name="petition",
                    name="compound",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="petitions", to="communities.compound",
                                            verbose_name="compound"),
                ),
                migrations.AlterField(
                    model_name="petition",
                    name="district",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="communities.district", verbose_name="district"),
                ),
                migrations.AlterField(
                    model_name="petition",
                    name="handler_firm",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                            to="properties.firm", verbose_name="handling firm"),
                ),
                migrations.AlterField(
                    model_name="petition",
                    name="reporter",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL, related_name="petitions",
                                            to=settings.AUTH_USER_MODEL, verbose_name="reporter"),
                ),
                migrations.AlterField(
                    model_name="petition",
                    name="street",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="communities.street", verbose_name="street"),
                ),
                migrations.AlterField(
                    model_name="petitionevent",
                    name="petition",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="events", to="petitions.petition",
                                            verbose_name="petition"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
