"""The create's hand-written SQL (PostgreSQL) and its ORM twin (SQLite) are built from the same constants —
the committees that handle petitions (`Body.SELF_GOVERNING_KINDS`), the active contract, the handlers table —
and must give the same answer: for every demo compound × category, the same category and handler at intake,
and the same petition and notices written."""

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Compound
from notifications.models import Notification
from petitions import services
from petitions.models import Category, Source

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _routing(intake) -> tuple:
    r = intake.routing
    firm = r.get("handler_firm")
    return (intake.category.pk if intake.category else None, r.get("handler_kind"), firm.pk if firm else None,
            r.get("handler_department_id"))


class Rollback(Exception):
    pass


def _written(compound, intake, actor) -> tuple:
    """What a create writes — the handler and the notified users — rolled back afterwards."""
    result = None
    try:
        with transaction.atomic():
            petition = services._create(actor=actor, compound=compound, intake=intake, description="对照",
                                        source=Source.PHONE, now=timezone.now())
            notified = sorted(Notification.objects.for_target(petition).values_list("user_id", flat=True))
            result = (petition.handler_kind, petition.handler_firm_id, petition.handler_department_id, notified)
            raise Rollback
    except Rollback:
        pass
    return result


def test_intake_and_insert_agree_with_their_orm_twins_for_every_compound_and_category(users):
    categories = {}
    for category in Category.objects.filter(is_active=True).order_by("pk"):
        categories.setdefault(category.district_id, []).append(category)
    compounds = list(Compound.objects.order_by("pk"))
    assert compounds and categories
    cases = 0
    for compound in compounds:
        written = {}
        for category in categories.get(compound.district_id, []):
            by_sql = services._intake(Compound(pk=compound.pk), category.pk)
            by_orm = services._intake_orm(Compound(pk=compound.pk), category.pk)
            assert by_sql.pk is not None and by_orm.pk is None
            assert _routing(by_sql) == _routing(by_orm), (compound.pk, category.code)
            outcome = _routing(by_sql)[1:]
            if outcome not in written:  # one create per distinct handler of the compound: the insert's twin
                orm_twin = services.Intake(by_orm.category, by_orm.routing, None)
                written[outcome] = True
                assert _written(compound, by_sql, users["admin"]) == _written(compound, orm_twin, users["admin"])
            cases += 1
    assert cases == sum(len(categories.get(c.district_id, [])) for c in compounds)


def _rows(petition) -> tuple:
    """What was written for `petition`: its row, its event and its notices, without the ids the two paths
    number differently."""
    from petitions.models import Petition, PetitionEvent

    row = Petition.objects.filter(pk=petition.pk).values().get()
    row.pop("id")
    events = [{k: v for k, v in e.items() if k not in ("id", "petition_id")}
              for e in PetitionEvent.objects.filter(petition_id=petition.pk).values()]
    notices = sorted((n.user_id, n.target_kind, n.subject.replace(str(petition.pk), "#"), n.body, n.delivered_at)
                     for n in Notification.objects.for_target(petition))
    return row, events, notices


@pytest.mark.parametrize("login,code,extra", [
    ("resident", "repair", {}),  # the firm
    ("resident", "security", {"spot": "3号楼门口", "anonymous": True}),
    ("street_office", "neighbours", {"reporter_name": "王", "reporter_phone": "13800000000", "source": "phone"}),
])
def test_the_statement_writes_what_the_orm_writes_column_for_column(users, categories, demo_compound, login, code,
                                                                   extra):
    """`_new_petition` builds the row from its column values, not from `Petition(**fields)`: every column, the
    event and the notices are the ORM path's (`_save_new`), and the petition it returns reads its compound,
    category, handler, reporter and recorder without a query, as the keyword form did."""
    from django.db import connection

    from petitions.models import HandlerKind

    now = timezone.now()
    source = extra.pop("source", Source.PORTAL)
    written = []
    for by_sql in (True, False):
        compound = Compound.objects.get(pk=demo_compound.pk)
        intake = services._intake(compound, categories[code].pk)
        if not by_sql:
            intake = services.Intake(intake.category, intake.routing, None)
        try:
            with transaction.atomic():
                petition = services._create(
                    actor=users[login], compound=compound, intake=intake, description="对照 ", source=source,
                    now=now, reporter=users["resident"] if login == "resident" else None, **extra)
                with CaptureQueriesContext(connection) as queries:
                    read = (petition.compound.name, petition.category.name, petition.recorded_by.username,
                            petition.reporter and petition.reporter.username,
                            petition.handler_firm and petition.handler_firm.name,
                            petition.handler_kind == HandlerKind.DEPARTMENT and petition.handler_department.name)
                assert len(queries) == 0, queries.captured_queries
                assert not petition._state.adding and petition.pk
                written.append((_rows(petition), read))
                raise Rollback
        except Rollback:
            pass
    (row, events, notices), read = written[0]
    assert row == written[1][0][0]
    assert events == written[1][0][1]
    assert notices == written[1][0][2]
    assert read == written[1][1]
    assert row["description"] == "对照" and row["deadline"] > now and len(events) == 1 and notices
