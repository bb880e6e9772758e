"""The hierarchy district → street → community → compound → building → household, people and their roles.

Every node below the district carries the ids of all its ancestors (district_id, street_id, community_id …),
so "everything under node N" is one indexed equality filter, never a walk of the tree
(docs/adr/0001-tenancy-and-scope.md).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from communities.geo import validate_boundary
from communities.masking import mask_id_card, mask_phone
from core.validators import validate_phone


class ManagementMode(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional property firm")
    SELF_MANAGED = "self_managed", _("Self-managed")
    UNIT_MANAGED = "unit_managed", _("Managed by a former employer unit")
    GOVERNMENT_FALLBACK = "government_fallback", _("Government fallback")
    # Custody forms the street may assign to an unmanaged compound (清零) besides a fallback firm.
    COMMITTEE_CUSTODY = "committee_custody", _("Residents' committee custody")
    SOCIAL_ORG_CUSTODY = "social_org_custody", _("Social organization custody")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare property entity")
    UNMANAGED = "unmanaged", _("Unmanaged")


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")
    HOUSEHOLD = "household", _("Household")


class DistrictQuerySet(models.QuerySet):
    def with_boundary(self):
        """The districts with their boundary read too (the map, the admin's upload): it is left unread otherwise."""
        return self.defer(None)


class DistrictManager(models.Manager.from_queryset(DistrictQuerySet)):
    """Districts without their boundary (up to 5 MB of GeoJSON), which only the map and the admin's district page
    show: every other read (the scope, the policies, the dashboards' names, the admin's lists, form choices) leaves
    it in the database. Reading `district.boundary` on such a row loads it alone, in one query. The base manager
    (related objects: `compound.district`) stays plain; querysets that follow a relation to District by
    select_related defer it with `boundary_deferred`."""

    def get_queryset(self):
        return super().get_queryset().defer("boundary")


def boundary_deferred(queryset, depth: int = 3):
    """`queryset` with the boundary of every district it may select through its foreign keys (up to `depth`
    hops, as select_related() follows them) left unread; a path the query does not select is ignored."""
    paths, frontier = [], [("", queryset.model)]
    for _hop in range(depth):
        following = []
        for prefix, model in frontier:
            for field in model._meta.concrete_fields:
                if not field.is_relation or not (field.many_to_one or field.one_to_one):
                    continue
                path = f"{prefix}{field.name}"
                if field.related_model is District:
                    paths.append(f"{path}__boundary")
                else:
                    following.append((f"{path}__", field.related_model))
        frontier = following
    return queryset.defer(*paths) if paths else queryset


class District(models.Model):
    """A district (区): one tenant of the platform."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The district's outline for the compounds' map (GeoJSON, WGS 84 longitude/latitude), uploaded in the admin and
    # checked by communities.geo.validate_boundary. Not copied into the history: it can be large.
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True, editable=False,
                                validators=[validate_boundary])
    history = HistoricalRecords(excluded_fields=["boundary"])

    objects = DistrictManager()

    level = Level.DISTRICT

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A street office or town (街道/镇)."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWN = "town", _("Town")

    district = models.ForeignKey(District, models.PROTECT, related_name="streets", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STREET)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    level = Level.STREET

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["district_id", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name")]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A community (社区) with its residents' committee."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="communities", verbose_name=_("street"))
    name = models.CharField(_("name"), max_length=100)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    level = Level.COMMUNITY

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street_id", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")]

    def __str__(self) -> str:
        return self.name

    def derive_ancestors(self) -> None:
        self.district_id = self.street.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Compound(models.Model):
    """A residential compound (小区)."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    household_count = models.PositiveIntegerField(_("household count"), default=0)
    total_floor_area = models.DecimalField(
        _("total floor area (m²)"), max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    management_mode = models.CharField(
        _("management mode"), max_length=24, choices=ManagementMode.choices, default=ManagementMode.PROFESSIONAL
    )
    # Where the compound is on the map (WGS 84), for the dashboards' map of compounds.
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))])
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))])
    history = HistoricalRecords()

    level = Level.COMPOUND

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]
        permissions = [("access_compound", _("Can work in this compound"))]

    def __str__(self) -> str:
        return self.name

    def derive_ancestors(self) -> None:
        self.street_id = self.community.street_id
        self.district_id = self.community.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Building(models.Model):
    """A building (楼栋) of a compound."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="buildings", verbose_name=_("compound"))
    name = models.CharField(_("name"), max_length=50)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    history = HistoricalRecords()

    level = Level.BUILDING

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound_id", "name"]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}" if self.compound_id else self.name

    def derive_ancestors(self) -> None:
        compound = self.compound
        self.community_id, self.street_id, self.district_id = (
            compound.community_id, compound.street_id, compound.district_id
        )

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Household(models.Model):
    """A household (户): one dwelling, with the floor area its owners vote with."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    building = models.ForeignKey(Building, models.PROTECT, related_name="households", verbose_name=_("building"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    history = HistoricalRecords()

    level = Level.HOUSEHOLD

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building_id", "unit", "room"]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit", "room"], name="household_unique_room"),
            models.CheckConstraint(condition=Q(floor_area__gt=0), name="household_floor_area_positive"),
        ]

    def __str__(self) -> str:
        unit = _("unit %(unit)s ") % {"unit": self.unit} if self.unit else ""
        return f"{self.building} {unit}{self.room}"

    def derive_ancestors(self) -> None:
        building = self.building
        self.compound_id, self.community_id, self.street_id, self.district_id = (
            building.compound_id, building.community_id, building.street_id, building.district_id
        )

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


# Mainland mobile and landline formats (core.validators): the same check in the admin, the API and the models.
phone_validator = validate_phone
id_card_validator = RegexValidator(r"^[0-9]{17}[0-9Xx]$", _("Enter an 18-character resident ID number."))


class Person(models.Model):
    """A person known to the district: a resident, an owner, a staff member. Phone and ID are personal data."""

    district = models.ForeignKey(District, models.PROTECT, related_name="people", verbose_name=_("district"))
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registered community"),
        help_text=_("The community that keeps this person's record."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="person",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    id_card_number = models.CharField(_("ID card number"), max_length=18, blank=True, validators=[id_card_validator])
    households = models.ManyToManyField(Household, through="Residency", related_name="people")
    # The history never keeps the numbers: it would show them whole to anyone who reads a record's history.
    history = HistoricalRecords(excluded_fields=["phone", "id_card_number"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_card_masked(self) -> str:
        return mask_id_card(self.id_card_number)


class Residency(models.Model):
    """Binds a person to a household as owner or tenant; made by staff. It is what makes a user a resident."""

    class Relation(models.TextChoices):
        OWNER = "owner", _("Owner")
        TENANT = "tenant", _("Tenant")

    person = models.ForeignKey(Person, models.CASCADE, related_name="residencies", verbose_name=_("person"))
    household = models.ForeignKey(
        Household, models.CASCADE, related_name="residencies", verbose_name=_("household")
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices, default=Relation.OWNER)
    since = models.DateField(_("since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        constraints = [models.UniqueConstraint(fields=["person", "household"], name="residency_unique")]

    def __str__(self) -> str:
        return f"{self.person} – {self.household} ({self.get_relation_display()})"


class Department(models.Model):
    """A government department (职能部门) of the district that can be called in (whistled) or vet candidates."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        COURT = "court", _("Court")
        URBAN_MANAGEMENT = "urban_management", _("Urban management")
        HOUSING = "housing", _("Housing and construction")
        MARKET_REGULATION = "market_regulation", _("Market regulation")
        FIRE = "fire", _("Fire and rescue")
        OTHER = "other", _("Other")

    district = models.ForeignKey(District, models.PROTECT, related_name="departments", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("government department")
        verbose_name_plural = _("government departments")
        ordering = ["district_id", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    DISTRICT_ORG = "district_org", _("District organization department")
    DISTRICT_CENTER = "district_center", _("District property management centre")
    STREET_OFFICE = "street_office", _("Street three-party office")
    COMMUNITY_OFFICE = "community_office", _("Community office")
    COMMISSIONER = "commissioner", _("Compound commissioner")
    COMMITTEE_MEMBER = "committee_member", _("Owners' committee member")
    FIRM_STAFF = "firm_staff", _("Property firm staff")
    DEPARTMENT_STAFF = "department_staff", _("Government department staff")
    RESIDENT = "resident", _("Resident")


# The scope field each role is held at. A resident's scope is their Residency, not a RoleAssignment.
ROLE_SCOPE_FIELD = {
    Role.DISTRICT_ORG: "district",
    Role.DISTRICT_CENTER: "district",
    Role.STREET_OFFICE: "street",
    Role.COMMUNITY_OFFICE: "community",
    Role.COMMISSIONER: "compound",
    Role.COMMITTEE_MEMBER: "compound",
    Role.FIRM_STAFF: "firm",
    Role.DEPARTMENT_STAFF: "department",
}
_SCOPE_FIELDS = ("street", "community", "compound", "firm", "department")


def _role_scope_constraint() -> Q:
    """Exactly the scope field of the role is set (besides the district, always set)."""
    condition = Q()
    for role, field in ROLE_SCOPE_FIELD.items():
        nulls = {f"{other}__isnull": other != field for other in _SCOPE_FIELDS}
        if field == "district":
            nulls = {f"{other}__isnull": True for other in _SCOPE_FIELDS}
        condition |= Q(role=role, **nulls)
    return condition


class RoleAssignment(models.Model):
    """A role held by a user at a scope node. Staff roles only; residents come from Residency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(
        _("role"), max_length=24, choices=[c for c in Role.choices if c[0] != Role.RESIDENT]
    )
    district = models.ForeignKey(
        District, models.PROTECT, related_name="+", verbose_name=_("district"), blank=True,
        help_text=_("Filled in from the scope for roles below the district."),
    )
    street = models.ForeignKey(Street, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound")
    )
    firm = models.ForeignKey(
        "properties.Firm", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("property firm")
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(condition=_role_scope_constraint(), name="role_assignment_scope_matches_role"),
            # A role once per node: one partial unique constraint per kind of scope.
            models.UniqueConstraint(
                fields=["user", "role", "district"], condition=Q(role__in=["district_org", "district_center"]),
                name="role_assignment_unique_district",
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", scope], condition=Q(**{f"{scope}__isnull": False}),
                    name=f"role_assignment_unique_{scope}",
                )
                for scope in _SCOPE_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_node}"

    def clean(self):
        """Exactly the scope the role is held at must be chosen; the district follows from it."""
        if self.role not in ROLE_SCOPE_FIELD:
            return
        wanted = self.scope_field
        errors = {}
        for name in ("district", *_SCOPE_FIELDS):
            is_set = getattr(self, f"{name}_id") is not None
            if name == wanted and not is_set:
                errors[name] = _("This role is held at a %(scope)s: choose one.") % {
                    "scope": self._meta.get_field(name).verbose_name
                }
            elif name != wanted and name != "district" and is_set:
                errors[name] = _("Leave this empty for this role.")
        if errors:
            raise ValidationError(errors)
        self.derive_ancestors()

    def derive_ancestors(self) -> None:
        if self.role in ROLE_SCOPE_FIELD and self.scope_field != "district" and self.scope_node is not None:
            self.district_id = self.scope_node.district_id

    @property
    def scope_field(self) -> str:
        return ROLE_SCOPE_FIELD[Role(self.role)]

    @property
    def scope_node(self):
        return getattr(self, self.scope_field)


# The whole numbers a reveal may show, with the words the reveal log shows for them (the log keeps the code).
REVEALABLE_FIELDS = {"phone": _("phone"), "id_card_number": _("ID card number")}


class PersonalDataAccess(models.Model):
    """One reveal of a whole phone or ID number: who, whose record, which field, when; never the value. The record
    is a person's, or — for a number kept outside any person's record, such as the number a hotline caller gave —
    named in `record` (e.g. the petition)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("actor"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    person = models.ForeignKey(Person, models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("person"))
    record = models.CharField(_("record"), max_length=100, blank=True,
                              help_text=_("Where the number was read when it is no person's record."))
    field = models.CharField(_("field"), max_length=20)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(record=""), name="personal_data_access_names_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.person or self.record} ({self.field_label})"

    @property
    def field_label(self) -> str:
        return str(REVEALABLE_FIELDS.get(self.field, self.field))


class CompoundUserObjectPermission(UserObjectPermissionBase):
    """Guardian grant of a compound to one user (a commissioner, an owners' committee member)."""

    content_object = models.ForeignKey(Compound, models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("compound grant to a user")
        verbose_name_plural = _("compound grants to users")


class CompoundGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian grant of a compound to a group (a property firm's staff, under an active contract)."""

    content_object = models.ForeignKey(Compound, models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("compound grant to a group")
        verbose_name_plural = _("compound grants to groups")
