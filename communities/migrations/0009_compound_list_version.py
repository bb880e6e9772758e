"""A version of the compounds table that every write changes, whatever door it comes through: the key of the
compounds list's cached pages (communities.listcache, docs/adr/0013-cached-list-pages.md).

`communities_list_version` holds one row per cached table; a statement-level trigger on `communities_compound`
(INSERT, UPDATE, DELETE, TRUNCATE; `ENABLE ALWAYS`, so it fires under `session_replication_role = replica` too)
sets the row to a fresh value of a sequence **before** the statement runs. The row is an ordinary row: the new
value is seen by others exactly when the write commits, never before, and a rolled-back write leaves the old
one; sequence values are never handed out twice, so a value never comes back with other data. Taking the row
lock before the statement's first row lock keeps one lock order for every writer of compounds (they are rare:
the hierarchy changes by hand).

The table exists on every database (the scope statement reads it); the trigger only on PostgreSQL, and only
there are pages cached.
"""

from django.db import migrations

TABLE = """
CREATE TABLE communities_list_version (name varchar(40) PRIMARY KEY, value bigint NOT NULL);
INSERT INTO communities_list_version (name, value) VALUES ('compound', 0);
"""

FORWARD = r"""
CREATE SEQUENCE communities_list_version_seq;

CREATE FUNCTION communities_compound_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE communities_list_version SET value = nextval('communities_list_version_seq') WHERE name = 'compound';
    RETURN NULL;
END $$;

CREATE TRIGGER communities_compound_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON communities_compound FOR EACH STATEMENT EXECUTE FUNCTION communities_compound_version_bump();
ALTER TABLE communities_compound ENABLE ALWAYS TRIGGER communities_compound_version;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS communities_compound_version ON communities_compound;
DROP FUNCTION IF EXISTS communities_compound_version_bump();
DROP SEQUENCE IF EXISTS communities_list_version_seq;
"""


def forward(apps, schema_editor):
    for statement in TABLE.strip().split(";\n"):
        schema_editor.execute(statement.strip().rstrip(";"), params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)
    schema_editor.execute("DROP TABLE IF EXISTS communities_list_version", params=None)


class Migration(migrations.Migration):
    dependencies = [("communities", "0008_compound_coordinates_and_district_boundary")]

    operations = [migrations.RunPython(forward, backward)]
