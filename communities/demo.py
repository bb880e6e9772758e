"""Demo data for the hierarchy, the people and the demo logins (see `manage.py seed_demo`)."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from communities import names
from communities.models import (
    Building,
    Community,
    Compound,
    CompoundGroupObjectPermission,
    Department,
    District,
    Household,
    ManagementMode,
    Person,
    Residency,
    Role,
    Street,
)
from communities.services import role_grant

User = get_user_model()
BATCH = 5000


@dataclass
class DistrictPlan:
    name: str
    code: str
    streets: int
    communities: int
    modes: dict  # management mode → number of compounds
    households: tuple  # (min, max) households per compound
    region: str = "330211"


PLANS = {
    "small": [
        DistrictPlan("镇海区", "zhenhai", 2, 4, {
            ManagementMode.PROFESSIONAL: 5, ManagementMode.SELF_MANAGED: 3, ManagementMode.UNIT_MANAGED: 1,
            ManagementMode.GOVERNMENT_FALLBACK: 1, ManagementMode.UNMANAGED: 2,
        }, (24, 48)),
        DistrictPlan("拱墅区", "gongshu", 2, 4, {
            ManagementMode.PROFESSIONAL: 5, ManagementMode.SELF_MANAGED: 3, ManagementMode.UNIT_MANAGED: 1,
            ManagementMode.GOVERNMENT_FALLBACK: 1, ManagementMode.UNMANAGED: 2,
        }, (24, 48), region="330105"),
    ],
    # Luzhou's figures from the case reports: 1,151 compounds, 504 professional, 520 self-managed, 127 unmanaged.
    "district": [
        DistrictPlan("江阳区", "jiangyang", 16, 90, {
            ManagementMode.PROFESSIONAL: 504, ManagementMode.SELF_MANAGED: 520, ManagementMode.UNMANAGED: 127,
        }, (120, 488), region="510502"),
        DistrictPlan("拱墅区", "gongshu", 2, 4, {
            ManagementMode.PROFESSIONAL: 5, ManagementMode.SELF_MANAGED: 3, ManagementMode.UNMANAGED: 2,
        }, (24, 48), region="330105"),
    ],
}


@dataclass
class DemoContext:
    """What the seeders share: the random source, the districts made and the logins to print."""

    scale: str
    rng: random.Random
    password: str
    stdout: object = None
    districts: list = field(default_factory=list)
    admin: object = None
    logins: list = field(default_factory=list)  # (username, role label, scope name)
    extra: dict = field(default_factory=dict)
    # The day the demo is seeded, read once: every seeder dates from it, so a seeding that runs across midnight
    # at the end of a month, quarter or year is still one consistent demo.
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def main(self) -> District:
        return self.districts[0]

    @property
    def other(self) -> District:
        return self.districts[1]

    def say(self, message: str) -> None:
        if self.stdout:
            self.stdout.write(message)


def seed_hierarchy(ctx: DemoContext) -> None:
    """Districts, streets, communities, compounds, buildings and households, written in bulk."""
    ctx.admin = User.objects.create_superuser("admin", "admin@sanfang.local", ctx.password)
    ctx.logins.append(("admin", "平台管理员", "—"))
    for plan in PLANS[ctx.scale]:
        ctx.districts.append(_seed_district(ctx, plan))


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _seed_district(ctx: DemoContext, plan: DistrictPlan) -> District:
    rng = ctx.rng
    district = District.objects.create(name=plan.name, code=plan.code, office_phone="0574-8" + str(rng.randrange(1000000, 9999999)))
    street_names = rng.sample(names.STREET_STEMS, plan.streets)
    streets = Street.objects.bulk_create([
        Street(district=district, name=f"{n}{'镇' if i % 5 == 4 else '街道'}",
               kind=Street.Kind.TOWN if i % 5 == 4 else Street.Kind.STREET,
               office_phone=f"0574-8{rng.randrange(1000000, 9999999)}")
        for i, n in enumerate(street_names)
    ])
    community_names = names.unique_names(rng, names.COMMUNITY_STEMS, ["社区"], plan.communities)
    communities = []
    for street, count in zip(streets, _spread(plan.communities, plan.streets), strict=True):
        for _ in range(count):
            communities.append(Community(
                district=district, street=street, name=community_names[len(communities)],
                office_phone=f"0574-8{rng.randrange(1000000, 9999999)}",
            ))
    communities = Community.objects.bulk_create(communities)

    modes = [mode for mode, count in plan.modes.items() for _ in range(count)]
    # The first compound of every community is professional, so each demo community has a firm in it.
    rng.shuffle(modes)
    total = len(modes)
    compound_names = names.unique_names(rng, names.COMPOUND_STEMS, names.COMPOUND_SUFFIXES, total)
    per_community = _spread(total, len(communities))
    compounds = []
    for community, count in zip(communities, per_community, strict=True):
        for _ in range(count):
            i = len(compounds)
            target = rng.randrange(*plan.households)
            compounds.append(Compound(
                district=district, street_id=community.street_id, community=community, name=compound_names[i],
                address=f"{rng.choice(names.ROAD_STEMS)}路{rng.randrange(1, 999)}号",
                household_count=target, year_built=rng.randrange(1985, 2021), management_mode=modes[i],
            ))
    # Make the first compound of each community professional (swap modes within the district's plan).
    first_index, index = [], 0
    for count in per_community:
        first_index.append(index)
        index += count
    for i in first_index:
        if compounds[i].management_mode != ManagementMode.PROFESSIONAL:
            for j, other in enumerate(compounds):
                if j not in first_index and other.management_mode == ManagementMode.PROFESSIONAL:
                    compounds[i].management_mode, other.management_mode = other.management_mode, compounds[i].management_mode
                    break
    compounds = Compound.objects.bulk_create(compounds, batch_size=BATCH)

    buildings = []
    for compound in compounds:
        n_buildings = max(2, round(compound.household_count / rng.choice((12, 16, 24, 30))))
        for b in range(n_buildings):
            buildings.append(Building(
                district=district, street_id=compound.street_id, community_id=compound.community_id,
                compound=compound, name=f"{b + 1}幢", floors=rng.choice((6, 7, 11, 18, 26)),
            ))
    buildings = Building.objects.bulk_create(buildings, batch_size=BATCH)

    by_compound: dict[int, list[Building]] = {}
    for building in buildings:
        by_compound.setdefault(building.compound_id, []).append(building)
    households, areas = [], {}
    for compound in compounds:
        blds = by_compound[compound.pk]
        area_total = Decimal("0")
        for i in range(compound.household_count):
            building = blds[i % len(blds)]
            k = i // len(blds)
            unit, floor, door = k % 2 + 1, k // 4 + 1, k // 2 % 2 + 1
            area = Decimal(rng.randrange(4500, 16000)) / 100
            area_total += area
            households.append(Household(
                district=district, street_id=compound.street_id, community_id=compound.community_id,
                compound=compound, building=building, unit=str(unit), room=f"{floor}{door:02d}", floor_area=area,
            ))
            if len(households) >= BATCH:
                Household.objects.bulk_create(households)
                households = []
        areas[compound.pk] = area_total
    Household.objects.bulk_create(households)
    for compound in compounds:
        compound.total_floor_area = areas[compound.pk]
    Compound.objects.bulk_update(compounds, ["total_floor_area"], batch_size=BATCH)

    Department.objects.bulk_create([
        Department(district=district, name=f"{district.name}{label}", kind=kind,
                   office_phone=f"0574-8{rng.randrange(1000000, 9999999)}")
        for kind, label in (
            (Department.Kind.POLICE, "公安分局"), (Department.Kind.COURT, "人民法院"),
            (Department.Kind.URBAN_MANAGEMENT, "综合行政执法局"), (Department.Kind.HOUSING, "住房和城乡建设局"),
            (Department.Kind.MARKET_REGULATION, "市场监督管理局"), (Department.Kind.FIRE, "消防救援大队"),
        )
    ])
    if ctx.scale == "small":
        _seed_owners(ctx, district, plan)
    ctx.say(f"  {district.name}: {len(streets)} streets, {len(communities)} communities, {len(compounds)} compounds, "
            f"{len(buildings)} buildings, {sum(c.household_count for c in compounds)} households")
    return district


def _seed_owners(ctx: DemoContext, district: District, plan: DistrictPlan) -> None:
    """An owner for every household, and a tenant in about one in six (small scale only)."""
    rng = ctx.rng
    households = list(Household.objects.filter(district=district).order_by("pk").values_list("pk", "community_id"))
    people = [
        Person(district=district, community_id=community_id, name=names.person_name(rng), phone=names.mobile(rng),
               id_card_number=names.id_card(rng, plan.region))
        for _pk, community_id in households
    ]
    people = Person.objects.bulk_create(people, batch_size=BATCH)
    residencies = [
        Residency(person=person, household_id=pk, relation=Residency.Relation.OWNER)
        for person, (pk, _c) in zip(people, households, strict=True)
    ]
    # Some owners hold a second dwelling in the same compound: one head, two areas.
    for i in range(0, len(people) - 1, 23):
        residencies.append(Residency(person=people[i], household_id=households[i + 1][0],
                                     relation=Residency.Relation.OWNER))
    Residency.objects.bulk_create(residencies, batch_size=BATCH, ignore_conflicts=True)


# --- logins -------------------------------------------------------------------------------------------------

def _user(ctx: DemoContext, username: str, district: District, community=None, label="", scope="") -> User:
    user = User.objects.create(username=username, password=ctx.extra.setdefault("hash", make_password(ctx.password)))
    Person.objects.create(
        district=district, community=community, user=user, name=names.person_name(ctx.rng), phone=names.mobile(ctx.rng),
    )
    ctx.logins.append((username, label, scope))
    return user


def _grant(ctx, username, role, node, district, community=None):
    user = _user(ctx, username, district, community, Role(role).label, str(node))
    role_grant(actor=ctx.admin, user=user, role=role, node=node)
    return user


def first_compound(district: District, street_index: int = 0) -> Compound:
    """The demo compound of a street: the first (professional) compound of its first community."""
    street = Street.objects.filter(district=district).order_by("pk")[street_index]
    community = Community.objects.filter(street=street).order_by("pk").first()
    return Compound.objects.filter(community=community).order_by("pk").first()


def seed_logins(ctx: DemoContext) -> None:
    """One login per role in the first district, two residents in two streets, and one in the second district."""
    main = ctx.main
    street1, street2 = Street.objects.filter(district=main).order_by("pk")[:2]
    compound = first_compound(main, 0)
    community = compound.community
    _grant(ctx, "district_org", Role.DISTRICT_ORG, main, main)
    _grant(ctx, "district_center", Role.DISTRICT_CENTER, main, main)
    _grant(ctx, "street_office", Role.STREET_OFFICE, street1, main)
    _grant(ctx, "street_office_2", Role.STREET_OFFICE, street2, main)
    _grant(ctx, "community_office", Role.COMMUNITY_OFFICE, community, main, community)
    _grant(ctx, "commissioner", Role.COMMISSIONER, compound, main, community)
    _grant(ctx, "committee_member", Role.COMMITTEE_MEMBER, compound, main, community)
    # The firm serving the compound, through its group's grant of the compound (the grants follow the active
    # contracts): the base does not import properties (docs/adr/0004).
    grant = CompoundGroupObjectPermission.objects.filter(
        content_object=compound, group__firm__isnull=False).select_related("group__firm").order_by("pk").first()
    _grant(ctx, "firm_staff", Role.FIRM_STAFF, grant.group.firm, main)
    police = Department.objects.get(district=main, kind=Department.Kind.POLICE)
    _grant(ctx, "department_staff", Role.DEPARTMENT_STAFF, police, main)
    for username, street_index in (("resident", 0), ("resident_2", 1)):
        home_compound = first_compound(main, street_index)
        household = Household.objects.filter(compound=home_compound).order_by("pk").first()
        owner = Person.objects.filter(residencies__household=household).first()
        user = User.objects.create(username=username, password=ctx.extra["hash"])
        if owner is None:  # district scale keeps no owner records: make this one
            owner = Person.objects.create(district=main, community_id=home_compound.community_id,
                                          name=names.person_name(ctx.rng), phone=names.mobile(ctx.rng))
            Residency.objects.create(person=owner, household=household, relation=Residency.Relation.OWNER)
        owner.user = user
        owner.save(update_fields=["user"])
        ctx.logins.append((username, f"{Role.RESIDENT.label}（{owner.name}）", str(household)))
    _grant(ctx, "district_org_b", Role.DISTRICT_ORG, ctx.other, ctx.other)


# --- the map: a generated boundary per district and coordinates per compound ---------------------------------------

# Rough centres (longitude, latitude) of the demo districts; any other code gets a point near Ningbo.
MAP_CENTRES = {"zhenhai": (121.62, 29.96), "gongshu": (120.14, 30.32), "jiangyang": (105.44, 28.88)}


def _sector_ring(centre, radii, start, stop):
    """A closed ring from the centre along the outline's vertices between two indexes and back."""
    import math

    cx, cy = centre
    n = len(radii)
    ring = [[cx, cy]]
    for i in range(start, stop + 1):
        angle = 2 * math.pi * (i % n) / n
        ring.append([round(cx + radii[i % n] * math.cos(angle), 6), round(cy + radii[i % n] * math.sin(angle) * 0.87, 6)])
    ring.append([cx, cy])
    return ring


def seed_map(ctx: DemoContext) -> None:
    """Each district gets an irregular outline cut into one piece per street (GeoJSON, as an office would upload
    it), and each compound a point inside its street's piece. A random source of its own, so the other seeders'
    data stays what it was."""
    import math

    for district in ctx.districts:
        rng = random.Random(f"map-{district.code}")
        centre = MAP_CENTRES.get(district.code, (121.55, 29.87))
        vertices = 96
        radii = [0.05] * vertices
        for _ in range(3):  # smooth noise: a few random bumps
            k, width, height = rng.randrange(vertices), rng.randrange(8, 24), rng.uniform(-0.012, 0.016)
            for i in range(-width, width + 1):
                radii[(k + i) % vertices] += height * (1 - abs(i) / (width + 1))
        radii = [r + rng.uniform(-0.0015, 0.0015) for r in radii]
        streets = list(Street.objects.filter(district=district).order_by("pk"))
        features, per_street = [], {}
        step = vertices / max(len(streets), 1)
        for i, street in enumerate(streets):
            start, stop = round(i * step), round((i + 1) * step)
            per_street[street.pk] = (start, stop)
            features.append({"type": "Feature", "properties": {"name": street.name},
                             "geometry": {"type": "Polygon",
                                          "coordinates": [_sector_ring(centre, radii, start, stop)]}})
        district.boundary = {"type": "FeatureCollection", "features": features}
        district.save(update_fields=["boundary"])
        compounds = list(Compound.objects.filter(district=district).order_by("pk"))
        for compound in compounds:
            start, stop = per_street[compound.street_id]
            angle_index = rng.uniform(start + 0.8, stop - 0.8)
            angle = 2 * math.pi * angle_index / vertices
            reach = radii[int(angle_index) % vertices] * rng.uniform(0.2, 0.85)
            compound.longitude = Decimal(str(round(centre[0] + reach * math.cos(angle), 6)))
            compound.latitude = Decimal(str(round(centre[1] + reach * math.sin(angle) * 0.87, 6)))
        Compound.objects.bulk_update(compounds, ["longitude", "latitude"], batch_size=BATCH)
        ctx.say(f"  {district.name}: boundary of {len(features)} streets, {len(compounds)} compounds placed")
