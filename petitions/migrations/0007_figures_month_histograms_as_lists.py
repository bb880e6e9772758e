# The month rows' duration histograms become lists of every bucket's count (fixed length), so that summing a year
# of month rows costs the same at any number of petitions (ADR 0008). The existing rows are converted in place;
# self-contained SQL, as a migration must not run the app's code of a later day.

from django.db import migrations

LENGTH = 245  # petitions.figures.HISTOGRAM_LENGTH: buckets 0 to len(GRID)


def _to_lists(column: str) -> str:
    return (f"{column} = to_jsonb(ARRAY(SELECT coalesce(({column} ->> b::text)::bigint, 0) "
            f"FROM generate_series(0, {LENGTH - 1}) AS b))")


def _to_maps(column: str) -> str:
    return (f"{column} = (SELECT coalesce(jsonb_object_agg((i - 1)::text, v::bigint), '{{}}') "
            f"FROM jsonb_array_elements_text({column}) WITH ORDINALITY AS u(v, i) WHERE v::bigint > 0)")


def _convert(sql: str, kind: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # the summaries are PostgreSQL's
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql + f" WHERE span = 'month' AND jsonb_typeof(to_accept) = '{kind}'")

    return run


FORWARD = f"UPDATE petitions_petitionfigures SET {_to_lists('to_accept')}, {_to_lists('to_resolve')}"
BACKWARD = f"UPDATE petitions_petitionfigures SET {_to_maps('to_accept')}, {_to_maps('to_resolve')}"


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0006_figures_petitions_by_latest_rating'),
    ]

    operations = [
        migrations.RunPython(_convert(FORWARD, "object"), _convert(BACKWARD, "array")),
    ]
