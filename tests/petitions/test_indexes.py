"""The indexes of the rows a new petition writes (ADR 0012): every foreign key is served by an index that it
leads (its lookups, the collector's PROTECT/SET_NULL/CASCADE queries, the key's checks when the parent row is
deleted), and no plain index is a leading part of another one (a create writes every index)."""

import pytest
from django.db import connection

from notifications.models import Notification
from petitions.models import Petition, PetitionEvent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TABLES = [Petition._meta.db_table, PetitionEvent._meta.db_table, Notification._meta.db_table]


def _indexes(table: str) -> list[tuple]:
    """(name, columns in order, unique, partial, access method) of each index of `table`."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, array_agg(a.attname ORDER BY k.i), i.indisunique, i.indpred IS NOT NULL, am.amname
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_am am ON am.oid = c.relam
              CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, i)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = %s::regclass
             GROUP BY c.relname, i.indisunique, i.indpred, am.amname""", [table])
        return [(name, tuple(columns), unique, partial, method) for name, columns, unique, partial, method
                in cursor.fetchall()]


@pytest.mark.parametrize("model", [Petition, PetitionEvent, Notification])
def test_every_foreign_key_leads_an_index(model):
    leading = {columns[0] for _name, columns, _unique, partial, _method in _indexes(model._meta.db_table)
               if not partial}
    keys = [f.column for f in model._meta.concrete_fields if f.is_relation]
    assert keys and [k for k in keys if k not in leading] == []


@pytest.mark.parametrize("table", TABLES)
def test_no_plain_index_is_the_leading_part_of_another(table):
    indexes = _indexes(table)
    redundant = [
        (name, other)
        for name, columns, unique, partial, method in indexes if not unique and not partial
        for other, longer, _u, other_partial, other_method in indexes
        if other != name and not other_partial and other_method == method and longer[:len(columns)] == columns
    ]
    assert redundant == []


def test_the_petition_has_the_indexes_its_reads_use():
    """Fifteen (21 before ADR 0012): the key, the external reference's uniqueness, the sweep's partial index,
    the six composites (the compound's now with `created_at` instead of the category), `created_at` (the minute's recount of new petitions, the whole-site list) and the keys
    not led by a composite: building, category, recorder, handling department, duplicate of."""
    names = {name for name, *_rest in _indexes(Petition._meta.db_table)}
    assert len(names) == 15
    assert {"petition_open_deadline", "petition_compound_created", "petition_district_created", "petition_street_created",
            "petition_community_created", "petition_firm_status", "petition_reporter_created",
            "petition_unique_external_ref"} <= names
