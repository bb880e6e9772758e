"""The demo's petitions: every state, channel and level, at both scales' ways of making them."""

import random

import pytest
from django.utils import timezone

from petitions.models import EscalationLevel, Petition, PetitionEvent, Source, Status, Whistle


@pytest.mark.django_db
def test_the_small_demo_holds_every_state_channel_and_level(main_district):
    rows = Petition.objects.filter(district=main_district)
    assert set(rows.values_list("status", flat=True)) == set(Status.values)
    assert set(rows.values_list("source", flat=True)) == set(Source.values)
    assert set(rows.values_list("level", flat=True)) == set(EscalationLevel.values)
    assert 200 <= rows.count() <= 500


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_district_generator_makes_consistent_rows(main_district):
    from django.db import connection

    from communities.demo import DemoContext
    from petitions.demo import seed_in_sql

    def schema():
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT indexname, left(indexdef, strpos(indexdef || ' WHERE', ' WHERE'))
                  FROM pg_indexes WHERE tablename LIKE 'petitions_%%'
                UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid::regclass::text LIKE 'petitions_%%' ORDER BY 1, 2""")
            return cursor.fetchall()

    before, indexes_and_keys = Petition.objects.count(), schema()
    ctx = DemoContext(scale="district", rng=random.Random(1), password="x")
    made = seed_in_sql(ctx, main_district, 5000, timezone.now(), 365)
    # the indexes and foreign keys dropped for the bulk load are all back, as they were (an index's WHERE is
    # compared as recreated: PostgreSQL prints the casts of a recreated partial index differently)
    assert schema() == indexes_and_keys and len(indexes_and_keys) > 40
    assert made == 5000 and Petition.objects.count() == before + 5000
    new = Petition.objects.filter(pk__gt=Petition.objects.order_by("pk")[before - 1].pk if before else 0)
    assert set(new.values_list("status", flat=True)) == set(Status.values)
    assert set(new.values_list("source", flat=True)) == set(Source.values)
    assert set(new.values_list("level", flat=True)) == set(EscalationLevel.values)
    assert not new.filter(status__in=["closed", "rejected"], deadline__isnull=False).exists()
    assert not new.filter(status="resolved", deadline__isnull=True).exists()
    assert not new.filter(handler_kind="firm", handler_firm__isnull=True).exists()
    assert PetitionEvent.objects.filter(petition__in=new, kind="created").count() == 5000
    assert PetitionEvent.objects.filter(petition__in=new, kind="rated").exists()
    assert Whistle.objects.filter(petition__in=new).exists()
