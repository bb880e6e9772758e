"""The create's hand-written SQL (PostgreSQL) and its ORM twin (SQLite) are built from the same constants —
the committees that handle petitions (`Body.SELF_GOVERNING_KINDS`), the active contract, the handlers table —
and must give the same answer: for every demo compound × category, the same category and handler at intake,
and the same petition and notices written."""

import pytest
from django.db import transaction
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
