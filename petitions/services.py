"""Every write to petitions: intake, routing, each transition of the state table, rating, the whistle, merging
duplicates and the deadline sweep. Views, the API, admin actions, Celery tasks and the management command all
call these functions."""

import dataclasses
import datetime
import functools
import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Building, Compound, Department, ManagementMode, Role
from communities.policies import compound_policy
from communities.scope import scope_for
from core import db as sql
from core.errors import DomainError
from petitions import selectors
from petitions.models import (
    OPEN_STATES,
    WORKING_STATES,
    Category,
    CloseReason,
    DeadlineKind,
    DepartmentLimit,
    EscalationLevel,
    EventKind,
    HandlerKind,
    Petition,
    PetitionAttachment,
    PetitionEvent,
    Source,
    Status,
    Whistle,
    next_level,
)
from petitions.notifications import notify, users_with_role
from petitions.policies import petition_policy

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", {".jpg", ".jpeg"}),
    "PNG": ("image/png", {".png"}),
    "WEBP": ("image/webp", {".webp"}),
}
RESIDENT_SOURCES = (Source.PORTAL, Source.CONSULTATION_BELL)
# The sweep's timeline note, one whole sentence per kind of deadline (word order differs between languages).
# A missed rating deadline closes the petition instead (see _sweep_one), so it has no sentence here.
DEADLINE_PASSED = {
    DeadlineKind.ACCEPT: gettext_lazy("The deadline to accept the petition passed."),
    DeadlineKind.RESOLVE: gettext_lazy("The deadline to resolve the petition passed."),
}
COMMITTEE_KINDS = ("owners_committee", "interim_committee", "self_management")


# --- photos -----------------------------------------------------------------------------------------------

def validate_photo(upload) -> str:
    """The photo's content type if it is a JPEG, PNG or WebP of at most 5 MB whose name matches its content."""
    from PIL import Image

    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise DomainError(_("A photo may be at most 5 MB."), field="photos")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for broken or hostile files
        raise DomainError(_("This file is not a photo we can read (JPEG, PNG or WebP)."), field="photos") from exc
    finally:
        upload.seek(0)
    if found not in PHOTO_FORMATS:
        raise DomainError(_("Photos must be JPEG, PNG or WebP."), field="photos")
    content_type, extensions = PHOTO_FORMATS[found]
    if os.path.splitext(upload.name or "")[1].lower() not in extensions:
        raise DomainError(_("The file's name does not match its content."), field="photos")
    return content_type


def _validate_photos(photos) -> list[tuple]:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("At most 6 photos may be attached."), field="photos")
    return [(photo, validate_photo(photo)) for photo in photos]


MAX_PHOTO_SIDE = 1600


def normalise_photo(upload, content_type: str):
    """The photo as stored: turned upright by its EXIF orientation, its longest side at most 1600 px, re-encoded
    in its own format without its metadata (phones write the place a photo was taken into it). Residents are on
    phones and weak networks (performance.md): a 12-megapixel original would be several MB on every view."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    fmt = next(name for name, (ct, _ext) in PHOTO_FORMATS.items() if ct == content_type)
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=os.path.basename(upload.name or "photo"))


def _save_photos(petition, checked, actor, event=None) -> None:
    for upload, content_type in checked:
        photo = normalise_photo(upload, content_type)
        PetitionAttachment.objects.create(
            petition=petition, event=event, file=photo, content_type=content_type, size=photo.size,
            uploaded_by=actor,
        )


# --- routing ----------------------------------------------------------------------------------------------

def route(*, compound: Compound, category: Category) -> dict:
    """The handler of a new petition, by category and the compound's management mode."""
    from governance.models import Body
    from properties.models import Contract

    contract = Contract.objects.filter(
        compound=compound, status=Contract.Status.ACTIVE
    ).select_related("firm").order_by("pk").first()
    return _route_from(
        category, mode=compound.management_mode, firm=contract.firm if contract else None,
        has_committee=Body.objects.filter(compound=compound, kind__in=COMMITTEE_KINDS).exists(),
    )


def _route_from(category: Category, *, mode: str, firm, has_committee: bool) -> dict:
    """The routing rule itself, over inputs read beforehand (by `route`, or by `_intake` in the same query as
    the category)."""
    if category.routing == Category.Routing.DEPARTMENT:
        return {"handler_kind": HandlerKind.DEPARTMENT, "handler_department_id": category.department_id}
    if category.routing == Category.Routing.BY_MANAGEMENT_MODE:
        if mode == ManagementMode.PROFESSIONAL and firm is not None:
            return {"handler_kind": HandlerKind.FIRM, "handler_firm": firm}
        if mode in (ManagementMode.PROFESSIONAL, ManagementMode.SELF_MANAGED) and has_committee:
            return {"handler_kind": HandlerKind.COMMITTEE}
    return {"handler_kind": HandlerKind.COMMUNITY_OFFICE}


def _handler_role(petition: Petition) -> tuple[str, str, int | None]:
    """Who handles the petition, as a role and the role assignment's scope column with its value."""
    kind = petition.handler_kind
    if kind == HandlerKind.FIRM:
        return Role.FIRM_STAFF, "firm_id", petition.handler_firm_id
    if kind == HandlerKind.COMMITTEE:
        return Role.COMMITTEE_MEMBER, "compound_id", petition.compound_id
    if kind == HandlerKind.DEPARTMENT:
        return Role.DEPARTMENT_STAFF, "department_id", petition.handler_department_id
    return Role.COMMUNITY_OFFICE, "community_id", petition.community_id


def handler_user_ids(petition: Petition) -> list[int]:
    role, field, value = _handler_role(petition)
    return users_with_role(role, **{field: value})


def level_office_user_ids(petition: Petition, level: str) -> list[int]:
    if level == EscalationLevel.COMMUNITY:
        return users_with_role(Role.COMMUNITY_OFFICE, community_id=petition.community_id)
    if level == EscalationLevel.STREET:
        return users_with_role(Role.STREET_OFFICE, street_id=petition.street_id)
    if level == EscalationLevel.DISTRICT:
        return users_with_role(Role.DISTRICT_CENTER, district_id=petition.district_id)
    return handler_user_ids(petition) + users_with_role(Role.COMMISSIONER, compound_id=petition.compound_id)


def reporters_of(petition: Petition) -> list[int]:
    """The reporter and the reporters of the duplicates merged into it."""
    ids = [petition.reporter_id]
    ids += list(petition.duplicates.values_list("reporter_id", flat=True))
    return [i for i in ids if i]


# --- helpers ----------------------------------------------------------------------------------------------

def _event(petition, kind, *, actor=None, at, **fields) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition, kind=kind, actor=actor if actor and actor.is_authenticated else None, at=at, **fields
    )


def _lock(petition: Petition) -> Petition:
    try:
        return Petition.objects.select_for_update(of=("self",)).select_related("category").get(pk=petition.pk)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc


def _move(petition, to, *, actor, now, note="", save_fields=()) -> PetitionEvent:
    previous = petition.transition_to(to)
    petition.save(update_fields=["status", *save_fields])
    return _event(petition, EventKind.TRANSITION, actor=actor, at=now, from_status=previous, to_status=to, note=note)


def _status_message(petition: Petition) -> str:
    return _("Your petition #%(id)s is now: %(status)s.") % {"id": petition.pk, "status": petition.get_status_display()}


# --- intake -----------------------------------------------------------------------------------------------

_CATEGORY_FIELDS = ["id", "district_id", "code", "name", "routing", "department_id", "accept_hours",
                    "resolve_hours", "department_hours", "is_active"]


@functools.cache
def _intake_sql() -> str:
    """The statement of `_intake`, table names from the models. Written by hand: as ORM subqueries it took
    longer to compile than to run (benchmarks/README.md, petition create)."""
    from governance.models import Body
    from properties.models import Contract, Firm

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
    from properties.models import Firm

    category_id = category.pk if isinstance(category, Category) else category
    if not 0 < compound.pk < 2**63:  # the prepared statement's parameters are bigint (the API bounds ids too)
        raise Http404
    if isinstance(category_id, int) and not 0 < category_id < 2**63:
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
        raise DomainError(_("The building must be in the petition's compound."), field="building")
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
    # The handler's notice is written in this transaction and left in the outbox (no task per petition): the
    # minute's `deliver_pending` sends it by e-mail and the other channels (ADR 0002).
    write = _insert_new if pk is not None else _save_new
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
    notify(handler_user_ids(petition), petition=petition, subject=subject, body=body, publish=False)


@functools.cache
def _insert_sql(scope_field: str) -> str:
    """The statement of `_insert_new`, columns from the models: the petition, its event and the handler's
    notices (one per active user holding the handler's role, as `users_with_role`) in one round trip. Every
    parameter meets a typed column (the DISTINCT is over users only), so the prepared statement infers them."""
    from django.contrib.auth import get_user_model

    from communities.models import RoleAssignment
    from petitions.models import Notification

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
    INSERT INTO {qn(Notification._meta.db_table)} ({notice["user"]}, {notice["petition"]}, {notice["subject"]},
                                                   {notice["body"]}, {notice["created_at"]})
    SELECT h.user_id, p.id, %s, %s, %s
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
    params += [subject, body, timezone.now(), role, value]
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
        notify(handler_user_ids(petition), petition=petition, subject=subject, body=body)


@transaction.atomic
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


@transaction.atomic
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


# --- handling ---------------------------------------------------------------------------------------------

@transaction.atomic
def petition_accept(*, actor, petition: Petition, note: str = "", now=None) -> Petition:
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "accept", petition)
    if petition.accepted_at is None:
        petition.accepted_at = now
    petition.restart_clock(DeadlineKind.RESOLVE, now)
    _move(petition, Status.ACCEPTED, actor=actor, now=now, note=note,
          save_fields=["accepted_at", "deadline", "deadline_kind"])
    notify(reporters_of(petition), petition=petition, subject=_status_message(petition))
    return petition


@transaction.atomic
def petition_bulk_accept(*, actor, petitions: Iterable[Petition], now=None) -> list[Petition]:
    """Accepts each petition the actor may accept; returns those accepted."""
    accepted = []
    for petition in petitions:
        try:
            with transaction.atomic():
                accepted.append(petition_accept(actor=actor, petition=petition, now=now))
        except (DomainError, PermissionDenied, Http404):
            continue
    return accepted


@transaction.atomic
def petition_start(*, actor, petition: Petition, note: str = "", now=None) -> Petition:
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "start", petition)
    _move(petition, Status.IN_PROGRESS, actor=actor, now=now, note=note)
    return petition


@transaction.atomic
def petition_reply(*, actor, petition: Petition, text: str, photos=(), now=None) -> Petition:
    """The handler's answer to the resident, required before the petition may be resolved; photos (proof of the
    fix) are checked like residents' and kept with the reply's timeline entry."""
    now = now or timezone.now()
    checked = _validate_photos(photos)
    petition = _lock(petition)
    petition_policy.require(actor, "reply", petition)
    if petition.status not in WORKING_STATES:
        raise DomainError(_("Accept the petition before replying."), field="status")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the reply."), field="text")
    petition.reply, petition.replied_at = text, now
    petition.save(update_fields=["reply", "replied_at"])
    event = _event(petition, EventKind.REPLY, actor=actor, at=now, note=text)
    _save_photos(petition, checked, actor, event)
    notify(reporters_of(petition), petition=petition,
           subject=_("Reply to your petition #%(id)s") % {"id": petition.pk}, body=text)
    return petition


@transaction.atomic
def petition_resolve(*, actor, petition: Petition, note: str = "", photos=(), now=None) -> Petition:
    now = now or timezone.now()
    checked = _validate_photos(photos)
    petition = _lock(petition)
    petition_policy.require(actor, "resolve", petition)
    if petition.status in WORKING_STATES and petition.replied_at is None:
        raise DomainError(_("Reply to the resident before resolving."), field="reply")
    fields = ["resolved_at", "deadline", "deadline_kind"]
    if not petition.settled_level:
        petition.settled_level = petition.level
        petition.resolved_on_time = petition.missed_deadlines == 0 and (
            petition.deadline is None or now <= petition.deadline
        )
        fields += ["settled_level", "resolved_on_time"]
    petition.resolved_at = now
    petition.restart_clock(DeadlineKind.RATE, now)
    event = _move(petition, Status.RESOLVED, actor=actor, now=now, note=note, save_fields=fields)
    _save_photos(petition, checked, actor, event)
    notify(reporters_of(petition), petition=petition, subject=_status_message(petition),
           body=_("Please rate how it was handled within 7 days."))
    return petition


@transaction.atomic
def petition_reject(*, actor, petition: Petition, reason: str, now=None) -> Petition:
    """Refuses a petition with a reason (e.g. outside the platform's remit); the end of its road."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "reject", petition)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    petition.rejection_reason, petition.deadline, petition.closed_at = reason[:300], None, now
    _move(petition, Status.REJECTED, actor=actor, now=now, note=reason,
          save_fields=["rejection_reason", "deadline", "closed_at"])
    notify(reporters_of(petition), petition=petition, subject=_status_message(petition), body=reason)
    return petition


@transaction.atomic
def petition_transfer(*, actor, petition: Petition, to: str, department: Department | int | None = None,
                      note: str = "", now=None) -> Petition:
    """Hands the petition to another handler, who must accept it in turn."""
    from governance.models import Body
    from properties.models import Contract

    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "transfer", petition)
    target = {"handler_kind": to, "handler_firm_id": None, "handler_department_id": None}
    if to == HandlerKind.FIRM:
        target["handler_firm_id"] = Contract.objects.filter(
            compound_id=petition.compound_id, status=Contract.Status.ACTIVE
        ).values_list("firm_id", flat=True).first()
        if not target["handler_firm_id"]:
            raise DomainError(_("No firm serves this compound under an active contract."), field="to")
    elif to == HandlerKind.COMMITTEE:
        if not Body.objects.filter(compound_id=petition.compound_id, kind__in=COMMITTEE_KINDS).exists():
            raise DomainError(_("This compound has no owners' or self-management committee."), field="to")
    elif to == HandlerKind.DEPARTMENT:
        department_id = department.pk if isinstance(department, Department) else department
        if not Department.objects.filter(pk=department_id, district_id=petition.district_id).exists():
            raise DomainError(_("Choose a department of this district."), field="department")
        target["handler_department_id"] = department_id
    elif to != HandlerKind.COMMUNITY_OFFICE:
        raise DomainError(_("Choose whom to transfer the petition to."), field="to")
    if all(getattr(petition, k) == v for k, v in target.items()):
        raise DomainError(_("The petition is already with this handler."), field="to")
    for key, value in target.items():
        setattr(petition, key, value)
    petition.restart_clock(DeadlineKind.ACCEPT, now)
    _move(petition, Status.TRANSFERRED, actor=actor, now=now, note=note or HandlerKind(to).label,
          save_fields=[*target, "deadline", "deadline_kind"])
    notify(handler_user_ids(petition), petition=petition,
           subject=_("Petition #%(id)s transferred to you") % {"id": petition.pk}, body=note)
    return petition


@transaction.atomic
def petition_reveal_reporter_phone(*, actor, petition: Petition, reason: str = "") -> str:
    """The whole phone number of the petition's reporter, for the handler (or the office of its level) to call
    them back: an explicit action, logged by `communities.services` (who, whose record, which field, when;
    never the value) — under the reporter's person record, or under the petition for a number a caller gave on
    the hotline or at the window. Not for a reporter who asked to stay anonymous to this user."""
    from communities.services import number_reveal, person_reveal

    petition_policy.require(actor, "call_back", petition)
    if not petition_policy.sees_reporter(actor, petition):
        raise PermissionDenied(_("The reporter asked to stay anonymous."))
    person, number = selectors.reporter_phone_source(petition)
    if not number:
        raise DomainError(_("This petition's reporter has no phone number on record."))
    reason = (reason or "").strip()
    if reason:
        note = _("Call back on petition #%(id)s: %(reason)s") % {"id": petition.pk, "reason": reason}
    else:
        note = _("Call back on petition #%(id)s") % {"id": petition.pk}
    if person is None:
        with translation.override(settings.LANGUAGE_CODE):  # the log is read in the site's language
            record = _("Petition #%(id)s") % {"id": petition.pk}
        return number_reveal(actor=actor, number=number, district_id=petition.district_id, record=record,
                             reason=note)

    def granted(user, whom, field) -> bool:
        return field == "phone" and whom.pk == person.pk and petition_policy.can(user, "call_back", petition)

    return person_reveal(actor=actor, person=person, field="phone", granted_by=granted, reason=note)


# --- rating -----------------------------------------------------------------------------------------------

def _close(petition, *, reason, actor, now, note="") -> None:
    petition.close_reason, petition.closed_at, petition.deadline = reason, now, None
    _move(petition, Status.CLOSED, actor=actor, now=now, note=note,
          save_fields=["close_reason", "closed_at", "deadline"])


@transaction.atomic
def petition_rate(*, actor, petition: Petition, rating: int, comment: str = "", now=None) -> Petition:
    """The reporter rates 1–5. 3 or more closes it; 2 or less reopens it once and escalates it the second time."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "rate", petition)
    if petition.status != Status.RESOLVED:
        raise DomainError(_("Only a resolved petition can be rated."), field="status")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Rate from 1 to 5."), field="rating")
    petition.rating, petition.rating_comment = rating, (comment or "")[:500]
    petition.save(update_fields=["rating", "rating_comment"])
    _event(petition, EventKind.RATED, actor=actor, at=now, rating=rating, note=petition.rating_comment)
    if rating >= 3:
        _close(petition, reason=CloseReason.RATED, actor=actor, now=now)
        notify(handler_user_ids(petition), petition=petition,
               subject=_("Petition #%(id)s rated %(rating)s") % {"id": petition.pk, "rating": rating})
        return petition
    petition.low_ratings += 1
    petition.replied_at = None
    petition.restart_clock(DeadlineKind.RESOLVE, now)
    _move(petition, Status.REOPENED, actor=actor, now=now, note=petition.rating_comment,
          save_fields=["low_ratings", "replied_at", "deadline", "deadline_kind"])
    if petition.low_ratings >= 2:
        _escalate(petition, now=now, actor=actor, note=_("Rated unsatisfactory a second time."))
    notify(handler_user_ids(petition), petition=petition,
           subject=_("Petition #%(id)s reopened after a rating of %(rating)s") % {"id": petition.pk, "rating": rating})
    return petition


# --- escalation and the whistle ---------------------------------------------------------------------------

def _escalate(petition: Petition, *, now, actor=None, note="") -> str | None:
    """Moves the petition one level up and restarts its clock; at the top, restarts the clock and says so."""
    to = next_level(petition.level)
    petition.restart_clock(petition.deadline_kind, now)
    if to is None:
        petition.save(update_fields=["deadline", "deadline_kind", "missed_deadlines"])
        _event(petition, EventKind.OVERDUE, actor=actor, at=now, from_level=petition.level,
               to_level=petition.level, note=note)
        notify(level_office_user_ids(petition, petition.level), petition=petition,
               subject=_("Petition #%(id)s is overdue at district level") % {"id": petition.pk})
        return None
    previous, petition.level = petition.level, to
    petition.escalations += 1
    petition.save(update_fields=["level", "escalations", "deadline", "deadline_kind", "missed_deadlines"])
    _event(petition, EventKind.ESCALATED, actor=actor, at=now, from_level=previous, to_level=to, note=note)
    subject = _("Petition #%(id)s escalated to %(level)s level") % {
        "id": petition.pk, "level": EscalationLevel(to).label
    }
    notify(level_office_user_ids(petition, to) + [petition.reporter_id], petition=petition, subject=subject)
    return to


@transaction.atomic
def petition_whistle(*, actor, petition: Petition, departments: Iterable, note: str = "", now=None) -> list[Whistle]:
    """The street blows the whistle: each department must acknowledge and answer within its limit."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "whistle", petition)
    if petition.status not in OPEN_STATES or petition.status == Status.RESOLVED:
        raise DomainError(_("Only an open petition can be whistled."), field="status")
    ids = {d.pk if isinstance(d, Department) else int(d) for d in departments}
    found = list(Department.objects.filter(pk__in=ids, district_id=petition.district_id))
    if not ids or len(found) != len(ids):
        raise DomainError(_("Choose departments of this district."), field="departments")
    if Whistle.objects.filter(petition=petition, department__in=found, answered_at__isnull=True).exists():
        raise DomainError(_("A department called in has not answered yet."), field="departments")
    whistles = []
    for department in found:
        # Each department answers within its own limit (for this category, or its general one).
        due = now + datetime.timedelta(hours=DepartmentLimit.hours_for(department.pk, petition.category))
        whistles.append(Whistle.objects.create(
            petition=petition, district_id=petition.district_id, department=department, blown_by=actor,
            blown_at=now, due_at=due, note=note,
        ))
        _event(petition, EventKind.WHISTLE, actor=actor, at=now, department=department, note=note)
        notify(users_with_role(Role.DEPARTMENT_STAFF, department_id=department.pk), petition=petition,
               subject=_("Whistle: petition #%(id)s needs your department") % {"id": petition.pk}, body=note)
    return whistles


@transaction.atomic
def whistle_answer(*, actor, petition: Petition, answer: str = "", now=None) -> Whistle:
    """A department acknowledges a whistle (empty answer) or answers it."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "answer", petition)
    whistle = (
        Whistle.objects.select_for_update()
        .filter(petition=petition, department_id__in=scope_for(actor).departments, answered_at__isnull=True)
        .order_by("blown_at").first()
    )
    if whistle is None:
        raise DomainError(_("Your department has no open call on this petition."))
    answer = (answer or "").strip()
    fields = []
    if whistle.acknowledged_at is None:
        whistle.acknowledged_at = now
        fields.append("acknowledged_at")
        _event(petition, EventKind.DEPARTMENT_ACKNOWLEDGED, actor=actor, at=now, department=whistle.department)
    if answer:
        whistle.answer, whistle.answered_at = answer, now
        fields += ["answer", "answered_at"]
        _event(petition, EventKind.DEPARTMENT_ANSWERED, actor=actor, at=now, department=whistle.department,
               note=answer)
        notify([whistle.blown_by_id], petition=petition,
               subject=_("%(department)s answered on petition #%(id)s") % {
                   "department": whistle.department.name, "id": petition.pk})
    if fields:
        whistle.save(update_fields=fields)
    return whistle


# --- duplicates -------------------------------------------------------------------------------------------

@transaction.atomic
def petition_merge(*, actor, duplicate: Petition, original: Petition, now=None) -> Petition:
    """Closes `duplicate` into `original`; both keep the link and both reporters hear the outcome."""
    now = now or timezone.now()
    first, second = sorted([duplicate, original], key=lambda p: p.pk)
    first, second = _lock(first), _lock(second)
    duplicate, original = (first, second) if first.pk == duplicate.pk else (second, first)
    if duplicate.pk == original.pk:
        raise DomainError(_("A petition cannot be merged into itself."), field="original")
    petition_policy.require(actor, "merge", duplicate)
    if not petition_policy.can(actor, "view", original):
        raise Http404
    if duplicate.compound_id != original.compound_id:
        raise DomainError(_("Only petitions of the same compound can be merged."), field="original")
    if original.duplicate_of_id or original.status in (Status.CLOSED, Status.REJECTED):
        raise DomainError(_("Merge into an open original petition."), field="original")
    if duplicate.status == Status.RESOLVED:
        raise DomainError(_("A resolved petition waits for its rating."), field="status")
    duplicate.duplicate_of = original
    duplicate.save(update_fields=["duplicate_of"])
    _close(duplicate, reason=CloseReason.MERGED, actor=actor, now=now,
           note=_("Merged into #%(id)s") % {"id": original.pk})
    _event(original, EventKind.MERGED, actor=actor, at=now, note=_("#%(id)s merged into this petition") % {
        "id": duplicate.pk})
    notify([duplicate.reporter_id, original.reporter_id], petition=original,
           subject=_("Petition #%(dup)s was merged into #%(id)s; you will hear its outcome") % {
               "dup": duplicate.pk, "id": original.pk})
    return duplicate


# --- the deadline sweep -----------------------------------------------------------------------------------

@dataclasses.dataclass
class SweepResult:
    escalated: int = 0
    overdue_at_top: int = 0
    closed_unrated: int = 0
    departments_late: int = 0
    petition_ids: list = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return self.escalated + self.overdue_at_top + self.closed_unrated + self.departments_late


def _due_petitions(now):
    return Petition.objects.filter(status__in=OPEN_STATES, deadline__lte=now).order_by("deadline", "pk")


def _due_whistles(now):
    return Whistle.objects.filter(answered_at__isnull=True, is_late=False, due_at__lte=now).order_by("due_at", "pk")


def sweep_deadlines(*, now=None, batch_size: int = 200, dry_run: bool = False, max_batches=None) -> SweepResult:
    """Escalates (or closes as not rated) every petition whose deadline has passed as of `now`, and flags late
    departments. Each batch claims its rows with FOR UPDATE SKIP LOCKED and re-checks them under the lock, so
    concurrent or repeated sweeps handle each deadline exactly once."""
    now = now or timezone.now()
    result = SweepResult()
    if dry_run:
        for petition in _due_petitions(now).only("pk", "status", "level"):
            result.petition_ids.append(petition.pk)
            if petition.status == Status.RESOLVED:
                result.closed_unrated += 1
            elif petition.level == EscalationLevel.DISTRICT:
                result.overdue_at_top += 1
            else:
                result.escalated += 1
        result.departments_late = _due_whistles(now).count()
        return result
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            due = list(
                _due_petitions(now).select_for_update(skip_locked=True, of=("self",))
                .select_related("category")[:batch_size]
            )
            for petition in due:
                _sweep_one(petition, now, result)
        if len(due) < batch_size:
            break
    while True:
        with transaction.atomic():
            late = list(_due_whistles(now).select_for_update(skip_locked=True, of=("self",))
                        .select_related("department", "petition")[:batch_size])
            for whistle in late:
                whistle.is_late = True
                whistle.save(update_fields=["is_late"])
                _event(whistle.petition, EventKind.DEPARTMENT_LATE, at=now, department=whistle.department)
                notify([whistle.blown_by_id], petition=whistle.petition,
                       subject=_("%(department)s is late on petition #%(id)s") % {
                           "department": whistle.department.name, "id": whistle.petition_id})
                result.departments_late += 1
        if len(late) < batch_size:
            break
    return result


def _sweep_one(petition: Petition, now, result: SweepResult) -> None:
    # The row was read under its lock in this transaction: the guard below holds against any other sweep.
    if petition.status not in OPEN_STATES or petition.deadline is None or petition.deadline > now:
        return
    result.petition_ids.append(petition.pk)
    if petition.status == Status.RESOLVED:
        _close(petition, reason=CloseReason.NOT_RATED, actor=None, now=now,
               note=_("No rating within 7 days."))
        result.closed_unrated += 1
        return
    petition.missed_deadlines += 1
    if _escalate(petition, now=now, note=str(DEADLINE_PASSED[petition.deadline_kind])) is None:
        result.overdue_at_top += 1
    else:
        result.escalated += 1
