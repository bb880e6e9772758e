from django.conf import settings
from django.db import migrations, models

# The existing summary rows' rate counts recounted from the raw rows (the night's rebuild would also do it, but the
# dashboards and the strength index read them from the deploy on): of the petitions neither rejected nor merged
# only, and the new sum of their latest ratings. Self-contained SQL: a migration must not run the app's code of a
# later day.
ZERO = """
UPDATE petitions_petitionfigures SET resolved = 0, on_time = 0, in_compound = 0, escalated = 0, ratings = 0,
       satisfied = 0, rated = 0, rated_satisfied = 0, rating_sum = 0"""
FILL = """
UPDATE petitions_petitionfigures f SET resolved = x.resolved, on_time = x.on_time, in_compound = x.in_compound,
       escalated = x.escalated, ratings = x.ratings, satisfied = x.satisfied, rated = x.rated,
       rated_satisfied = x.rated_satisfied, rating_sum = x.rating_sum
FROM (
  SELECT s.span, n.level, n.node_id, s.start,
         count(*) FILTER (WHERE pp.resolved_at IS NOT NULL) AS resolved,
         count(*) FILTER (WHERE pp.resolved_on_time) AS on_time,
         count(*) FILTER (WHERE pp.settled_level = 'compound') AS in_compound,
         count(*) FILTER (WHERE pp.escalations > 0) AS escalated,
         coalesce(sum(ev.given), 0) AS ratings, coalesce(sum(ev.satisfied), 0) AS satisfied,
         count(*) FILTER (WHERE pp.rating IS NOT NULL) AS rated,
         count(*) FILTER (WHERE pp.rating >= 4) AS rated_satisfied,
         coalesce(sum(pp.rating), 0) AS rating_sum
  FROM petitions_petition pp
  LEFT JOIN (SELECT petition_id, count(*) AS given, count(*) FILTER (WHERE rating >= 4) AS satisfied
             FROM petitions_petitionevent WHERE kind = 'rated' GROUP BY petition_id) AS ev ON ev.petition_id = pp.id
  CROSS JOIN LATERAL (VALUES ('compound', pp.compound_id), ('community', pp.community_id),
                             ('street', pp.street_id), ('district', pp.district_id)) AS n(level, node_id)
  CROSS JOIN LATERAL (VALUES ('day', (pp.created_at AT TIME ZONE %(tz)s)::date),
                             ('month', date_trunc('month', pp.created_at AT TIME ZONE %(tz)s)::date)) AS s(span, start)
  WHERE pp.status <> 'rejected' AND pp.close_reason <> 'merged'
  GROUP BY 1, 2, 3, 4
) AS x
WHERE f.span = x.span AND f.level = x.level AND f.node_id = x.node_id AND f.start = x.start"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the summaries are PostgreSQL's
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(ZERO)
        cursor.execute(FILL, {"tz": settings.TIME_ZONE})


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0007_figures_month_histograms_as_lists'),
    ]

    operations = [
        migrations.AddField(
            model_name='petitionfigures',
            name='rating_sum',
            field=models.PositiveIntegerField(default=0, verbose_name='sum of the latest ratings'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
