"""The move of the inbox out of `petitions`: the table and its rows stay, and a notice about a petition keeps
its link as the generic target (petitions.0003, notifications.0001–0004). Run on the test database inside the
test's transaction, which rolls the schema back with the rest."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from notifications import links
from notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BEFORE = [("petitions", "0002_notification_outbox")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    # Each migration commits on its own in real life; here they share the test's transaction, so the foreign
    # keys' deferred checks are run now, before the next ALTER TABLE (PostgreSQL refuses one with checks pending).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return executor.loader.project_state(target).apps


def test_old_petition_notifications_keep_their_link(users):
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("notifications")
    _migrate([("notifications", "0003_petition_link_to_target")])
    _migrate([("notifications", "0002_generic_target")])
    old = _migrate(BEFORE)
    OldNotification = old.get_model("petitions", "Notification")
    petition_pk = old.get_model("petitions", "Petition").objects.order_by("pk").values_list("pk", flat=True)[0]
    about = OldNotification.objects.create(user_id=users["firm_staff"].pk, petition_id=petition_pk, subject="旧通知")
    plain = OldNotification.objects.create(user_id=users["resident"].pk, subject="旧通知")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for step in ("0002_generic_target", "0003_petition_link_to_target", "0004_remove_petition"):
        _migrate([("notifications", step)])
    _migrate(leaf)

    moved = Notification.objects.get(pk=about.pk)
    assert (moved.target_kind, moved.target_id, moved.user_id, moved.subject) == (
        "petition", petition_pk, users["firm_staff"].pk, "旧通知")
    assert links.url_for(moved, users["firm_staff"]) == reverse("admin:petitions_petition_change",
                                                                args=[petition_pk])
    unlinked = Notification.objects.get(pk=plain.pk)
    assert (unlinked.target_kind, unlinked.target_id) == ("", None)
