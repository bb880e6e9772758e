"""A new petition: the intake query, the create (one statement on PostgreSQL) and its doors."""

import dataclasses
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Building, Compound, Department, RoleAssignment
from communities.policies import compound_policy
from communities.scope import scope_for
from core import db as sql
from core.errors import DomainError
from core.params import BIGINT_MAX
from governance.models import Body
from notifications.models import Notification
from notifications.services import notify
from petitions.apps import PETITION_NOTICE
from petitions.models import (
    Category,
    DeadlineKind,
    EscalationLevel,
    EventKind,
    HandlerKind,
    Petition,
    PetitionEvent,
    Source,
    Status,
)
from petitions.policies import petition_policy
from petitions.services.photos import _save_photos, _validate_photos
from petitions.services.routing import COMMITTEE_KINDS, _handler_role, _route_from, handler_user_ids, route
from properties.models import Contract, Firm

RESIDENT_SOURCES = (Source.PORTAL, Source.CONSULTATION_BELL)
BUILDING_OUTSIDE_COMPOUND = gettext_lazy("The building must be in the petition's compound.")

# --- intake -----------------------------------------------------------------------------------------------

_CATEGORY_FIELDS = ["id", "district_id", "code", "name", "routing", "department_id", "accept_hours",
                    "resolve_hours", "department_hours", "is_active"]


@functools.cache
def _intake_sql() -> str:
    """The statement of `_intake`, table names from the models. Written by hand: as ORM subqueries it took
    longer to compile than to run (benchmarks/README.md, petition create)."""
    columns = ", ".join(f"k.{name}" for name in _CATEGORY_FIELDS)
    committees = ", ".join(f"'{kind}'" for kind in COMMITTEE_KINDS)
    return f"""
    SELECT {columns}, d.name, {", ".join(f"c.{name}" for name in _PLACE_FIELDS)}, f.id, f.name,
           EXISTS (SELECT 1 FROM {Body._meta.db_table} b WHERE b.compound_id = c.id AND b.kind IN ({committees})),
           nextval(pg_get_serial_sequence('{Petition._meta.db_table}', 'id'))
      FROM {Compound._meta.db_table} c
      LEFT JOIN {Category._meta.db_table} k ON k.id = %(category)s AND k.district_id = c.district_id AND k.is_active
      LEFT JOIN {Department._meta.db_table} d ON d.id = k.department_id
      LEFT JOIN LATERAL (
           SELECT ct.firm_id FROM {Contract._meta.db_table} ct
            WHERE ct.compound_id = c.id AND ct.status = '{Contract.Status.ACTIVE}' ORDER BY ct.id LIMIT 1
      ) ct ON TRUE
      LEFT JOIN {Firm._meta.db_table} f ON f.id = ct.firm_id
     WHERE c.id = %(compound)s
    """


# What `_intake` reads of the compound: a resident's compound is known from the scope by its place ids only, a
# recorded petition's compound by its id only.
_PLACE_FIELDS = ["name", "management_mode", "district_id", "street_id", "community_id"]


@dataclasses.dataclass(frozen=True)
class Intake:
    """What a new petition needs besides its text: its category (None when the one asked for is not an active
    one of the compound's district), its handler, and on PostgreSQL its id (None on SQLite: the INSERT gives
    it)."""

    category: Category | None
    routing: dict
    pk: int | None


def _intake(compound: Compound, category) -> Intake:
    """One query for the compound's place and routing inputs — management mode, the firm under active contract,
    whether it has a committee — with the category asked for (with its department's name) and, on PostgreSQL,
    the new petition's id from its sequence (so that its notices can name it before the one INSERT statement of
    `_insert_new`). Sets the compound's place fields as the database has them. A compound that does not exist
    is a 404: callers check that the actor sees it before anything else."""
    category_id = category.pk if isinstance(category, Category) else category
    if not 0 < compound.pk <= BIGINT_MAX:  # the prepared statement's parameters are bigint (the API bounds ids too)
        raise Http404
    if isinstance(category_id, int) and not 0 < category_id <= BIGINT_MAX:
        category_id = None  # no such category
    if connection.vendor != "postgresql":  # no LATERAL join: the same reads as ORM queries
        return _intake_orm(compound, category_id)
    with connection.cursor() as cursor:
        sql.execute(cursor, _intake_sql(), {"compound": compound.pk, "category": category_id})
        row = cursor.fetchone()
    if row is None:
        raise Http404
    n, m = len(_CATEGORY_FIELDS), len(_PLACE_FIELDS)
    department_name, place, (firm_id, firm_name, has_committee, pk) = row[n], row[n + 1:n + 1 + m], row[n + 1 + m:]
    _fill_place(compound, place)
    if row[0] is None:
        return Intake(None, {}, pk)
    found = Category.from_db(connection.alias, _CATEGORY_FIELDS, row[:n])
    if found.department_id:
        found.department = Department.from_db(connection.alias, ["id", "name"], [found.department_id,
                                                                                  department_name])
    firm = Firm.from_db(connection.alias, ["id", "name"], [firm_id, firm_name]) if firm_id else None
    mode = compound.management_mode
    return Intake(found, _route_from(found, mode=mode, firm=firm, has_committee=bool(has_committee)), pk)


def _intake_orm(compound: Compound, category_id) -> Intake:
    place = Compound.objects.filter(pk=compound.pk).values_list(*_PLACE_FIELDS).first()
    if place is None:
        raise Http404
    _fill_place(compound, place)
    found = Category.objects.filter(
        pk=category_id, district_id=compound.district_id, is_active=True
    ).select_related("department").first()
    if found is None:
        return Intake(None, {}, None)
    return Intake(found, route(compound=compound, category=found), None)


def _fill_place(compound: Compound, values) -> None:
    # Always from the database, even over loaded values: the recorder's scope check is asked of these ids.
    for name, value in zip(_PLACE_FIELDS, values, strict=True):
        setattr(compound, name, value)


def _create(*, actor, compound, intake: Intake, description, source, now, photos=(), building=None, spot="",
            anonymous=False, external_ref="", reporter=None, reporter_name="", reporter_phone="") -> Petition:
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the matter."), field="description")
    if building is not None and building.compound_id != compound.pk:
        raise DomainError(BUILDING_OUTSIDE_COMPOUND, field="building")
    category, routing, pk = intake.category, intake.routing, intake.pk
    if category is None:
        raise DomainError(_("Choose a category of this district's catalogue."), field="category")
    checked = _validate_photos(photos)
    external_ref = (external_ref or "").strip()
    if external_ref and Petition.objects.filter(
        district_id=compound.district_id, source=source, external_ref=external_ref
    ).exists():
        raise DomainError(_("This reference from this channel has already been recorded."), field="external_ref")
    petition = Petition(
        pk=pk, district_id=compound.district_id, street_id=compound.street_id, community_id=compound.community_id,
        compound=compound, building=building, spot=spot, category=category, description=description,
        source=source, external_ref=external_ref, reporter=reporter, reporter_name=reporter_name,
        reporter_phone=reporter_phone, anonymous=anonymous, recorded_by=actor, created_at=now,
        **routing,
    )
    if petition.handler_kind == HandlerKind.DEPARTMENT:
        petition.handler_department = category.department  # read with the category, for the answer
    petition.restart_clock(DeadlineKind.ACCEPT, now)
    event = PetitionEvent(
        kind=EventKind.CREATED, actor=actor if actor and actor.is_authenticated else None, at=now,
        to_status=Status.SUBMITTED, to_level=EscalationLevel.COMPOUND, note=petition.get_source_display(),
    )
    # The handler's notice is written with the petition and left in the outbox (no task per petition): the
    # minute's `deliver_pending` sends it by e-mail and the other channels (ADR 0002).
    if pk is not None and not checked and not external_ref:
        # The petition, its event and its notices are one statement: atomic and durable by itself, so it runs
        # without BEGIN and COMMIT, two round trips of six (ADR 0010). Inside a caller's transaction it joins it.
        _insert_new(petition, event)
        return petition
    write = _insert_new if pk is not None else _save_new
    with transaction.atomic():
        if not external_ref:
            write(petition, event)
        else:
            try:
                with transaction.atomic():
                    write(petition, event)
            except IntegrityError as exc:  # the same reference recorded at the same moment by someone else
                raise DomainError(
                    _("This reference from this channel has already been recorded."), field="external_ref"
                ) from exc
        _save_photos(petition, checked, actor)
    return petition


def _new_notice(petition: Petition) -> tuple[str, str]:
    """The handler's notice of a new petition, in the site's language (it is not the reporter's message)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New petition #%(id)s: %(category)s") % {"id": petition.pk, "category": petition.category.name}
    return subject[:200], petition.description[:500]


def _save_new(petition: Petition, event: PetitionEvent) -> None:
    """The ORM's writes of a new petition (SQLite): the petition, its `created` event, the handler's notices."""
    petition.save()
    event.petition = petition
    event.save()
    subject, body = _new_notice(petition)
    notify(handler_user_ids(petition), target=petition, subject=subject, body=body, publish=False)


@functools.cache
def _insert_sql(scope_field: str) -> str:
    """The statement of `_insert_new`, columns from the models: the petition, its event and the handler's
    notices (one per active user holding the handler's role, as `users_with_role`) in one round trip. Every
    parameter meets a typed column (the DISTINCT is over users only), so the prepared statement infers them."""
    qn = connection.ops.quote_name

    def columns(fields):
        return ", ".join(qn(f.column) for f in fields)

    petition_fields, event_fields = _new_fields()
    notice = {f.name: qn(f.column) for f in Notification._meta.concrete_fields}
    role = {f.attname: qn(f.column) for f in RoleAssignment._meta.concrete_fields}
    user = get_user_model()._meta
    return f"""
    WITH p AS (
        INSERT INTO {qn(Petition._meta.db_table)} ({columns(petition_fields)})
        VALUES ({", ".join(["%s"] * len(petition_fields))}) RETURNING id
    ), e AS (
        INSERT INTO {qn(PetitionEvent._meta.db_table)} ({qn(PetitionEvent._meta.get_field("petition").column)},
                                                         {columns(event_fields)})
        SELECT p.id, {", ".join(["%s"] * len(event_fields))} FROM p
    )
    INSERT INTO {qn(Notification._meta.db_table)} ({notice["user"]}, {notice["target_kind"]}, {notice["target_id"]},
                                                   {notice["subject"]}, {notice["body"]}, {notice["created_at"]})
    SELECT h.user_id, %s, p.id, %s, %s, %s
      FROM p, (SELECT DISTINCT ra.{role["user_id"]} AS user_id
                 FROM {qn(RoleAssignment._meta.db_table)} ra
                 JOIN {qn(user.db_table)} u ON u.{qn(user.pk.column)} = ra.{role["user_id"]}
                                             AND u.{qn(user.get_field("is_active").column)}
                WHERE ra.{role["role"]} = %s AND ra.{role[scope_field]} = %s) h
    """


@functools.cache
def _new_fields() -> tuple[list, list]:
    event_fields = [f for f in PetitionEvent._meta.concrete_fields if not f.primary_key and f.name != "petition"]
    return list(Petition._meta.concrete_fields), event_fields


def _insert_new(petition: Petition, event: PetitionEvent) -> None:
    """The writes of `_save_new` as one statement (PostgreSQL; the petition's id came from `_intake`). Measured:
    the ORM's two INSERTs, the handler lookup, the notices' INSERT and a broker publish per petition cost twice
    the rest of the create (benchmarks/README.md, petition create)."""
    petition_fields, event_fields = _new_fields()
    role, field, value = _handler_role(petition)
    subject, body = _new_notice(petition)
    params = [f.get_db_prep_save(f.pre_save(petition, True), connection) for f in petition_fields]
    params += [f.get_db_prep_save(f.pre_save(event, True), connection) for f in event_fields]
    params += [PETITION_NOTICE, subject, body, timezone.now(), role, value]
    with connection.cursor() as cursor:
        sql.execute(cursor, _insert_sql(field), params)
    petition._state.adding, petition._state.db = False, connection.alias
    event.petition = petition


def notify_new_petition(pk: int) -> None:
    """Tells the handler of a new petition (the task of earlier releases; new petitions write their notices
    themselves, see `_create`)."""
    petition = Petition.objects.select_related("category").filter(pk=pk).first()
    if petition is None:
        return
    with transaction.atomic():
        subject, body = _new_notice(petition)
        notify(handler_user_ids(petition), target=petition, subject=subject, body=body)


def petition_submit(*, actor, category, description, compound=None, building=None, spot="", anonymous=False,
                    source=Source.PORTAL, photos=(), now=None) -> Petition:
    """A resident's own petition; the compound comes from their household."""
    scope = scope_for(actor)
    if not scope.is_resident:
        raise PermissionDenied(_("Only residents submit petitions of their own."))
    if source not in RESIDENT_SOURCES:
        raise DomainError(_("Residents submit through the portal or a consultation bell."), field="source")
    own = scope.own_compound_ids
    if compound is None:
        if len(own) != 1:
            raise DomainError(_("Choose the compound the matter is about."), field="compound")
        compound_id = next(iter(own))
    else:
        compound_id = compound.pk if isinstance(compound, Compound) else int(compound)
        if compound_id not in own:
            raise DomainError(_("You may submit petitions only about the compound you live in."), field="compound")
    if not isinstance(compound, Compound):
        # The household's place ids came with the scope: no query for the compound (its name and management
        # mode are read with the category, in `_intake`).
        place = next(r.household for r in scope.residencies if r.household.compound_id == compound_id)
        compound = Compound.from_db(connection.alias, ["id", "district_id", "street_id", "community_id"], [
            compound_id, place.district_id, place.street_id, place.community_id])
    if isinstance(building, int):
        building = Building.objects.filter(pk=building).first()
    return _create(
        actor=actor, compound=compound, intake=_intake(compound, category), description=description,
        source=source, now=now or timezone.now(), photos=photos, building=building, spot=spot, anonymous=anonymous,
        reporter=actor,  # the name is read from the account's person record when shown
    )


def petition_record(*, actor, compound, category, description, source, external_ref="", reporter_name="",
                    reporter_phone="", building=None, spot="", anonymous=False, photos=(), now=None) -> Petition:
    """A petition from another channel (hotline, letters and visits, walk-in …) recorded by staff."""
    if not isinstance(compound, Compound):
        try:
            compound = Compound.from_db(connection.alias, ["id"], [int(compound)])
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
    # The compound's place comes with the category and the routing (one query); the policy then answers from
    # those ids, so an unknown compound and an invisible one are the same 404 before anything else is said.
    intake = _intake(compound, category)
    scope = scope_for(actor)
    if not compound_policy.sees(scope, compound):
        raise Http404
    if not (scope.is_superuser or petition_policy.may_record(scope, compound)):
        raise PermissionDenied(_("You may not record petitions for this compound."))
    if source not in Source.values:
        raise DomainError(_("Choose a channel."), field="source")
    return _create(
        actor=actor, compound=compound, intake=intake, description=description, source=source,
        now=now or timezone.now(), photos=photos, building=building, spot=spot, anonymous=anonymous,
        external_ref=external_ref, reporter_name=reporter_name, reporter_phone=reporter_phone,
    )


def petition_create(*, actor, compound=None, **fields) -> Petition:
    """The API's one entry: a resident's own report when no staff recording is meant, else a staff record."""
    scope = scope_for(actor)
    source = fields.get("source") or Source.PORTAL
    fields["source"] = source
    own = scope.own_compound_ids
    compound_id = compound.pk if isinstance(compound, Compound) else compound
    staff_record = scope.is_staff_member and compound_id is not None and (
        compound_id not in own or source not in RESIDENT_SOURCES
    )
    if scope.is_resident and not staff_record:
        fields.pop("external_ref", None)
        fields.pop("reporter_name", None)
        fields.pop("reporter_phone", None)
        return petition_submit(actor=actor, compound=compound, **fields)
    if compound_id is None:
        raise DomainError(_("Choose the compound the matter is about."), field="compound")
    return petition_record(actor=actor, compound=compound_id, **fields)
