"""The figures of a dashboard: one node (district, street, community or compound) over a period, with its children
ranked, and a compound's single page (一小区一档案).

Every figure is a fixed number of grouped queries, whatever the number of children, compounds or rows: the node's
own figures come from the apps' selectors (governance `coverage` and `targets_progress`, petitions
`petition_figures`), and the children's columns from one grouped query per source, grouped by the child's
denormalised ancestor column; their petition columns from the petitions' summary rows
(`petition_figures_by_node`), never a grouping of the raw petitions. The caller has checked that the user may read the node (views.node_or_404)."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from communities.models import (
    Building,
    Community,
    Compound,
    District,
    ManagementMode,
    Residency,
    Role,
    RoleAssignment,
    Street,
)
from governance.models import Body, BodyMember, BuildingHead, CampaignTarget, PartyOrganization
from governance.selectors import (
    coverage,
    measure_definitions,
    party_organizations_for_portal,
    targets_progress,
)
from ledger.models import Account, AccountKind, FeeBill, FeePayment, FundApplication, MonthlyStatement
from petitions.models import Petition
from petitions.selectors import petition_figures, petition_figures_by_node
from properties.models import Contract
from properties.selectors import active_contract
from rankings.models import ExitCase, FirmResult, Period, Placement, Stars

LEVELS = ("district", "street", "community", "compound")
CHILD_LEVEL = {"district": "street", "street": "community", "community": "compound"}
MODELS = {"district": District, "street": Street, "community": Community, "compound": Compound}
WAITING = (FundApplication.Status.AT_COMMUNITY, FundApplication.Status.AT_STREET, FundApplication.Status.AT_CENTER)
ZERO = Decimal("0.00")


def share(part, whole) -> float | None:
    """part / whole rounded to four places, None for an empty whole (shown as "—", never as 0%)."""
    if not whole:
        return None
    return round(float(Fraction(part) / Fraction(whole)), 4)


def _col(level: str, via: str = "") -> str:
    """The column naming a node of `level` on a row carrying the ancestor columns itself (`via=""`) or through a
    relation (`via="compound__"`); a compound names itself by `pk`."""
    if via == "self" and level == "compound":
        return "pk"
    if via == "self" or (via == "compound__" and level == "compound"):
        return f"{level}_id"
    return f"{via}{level}_id"


def _in(node, via: str = "") -> dict:
    return {_col(str(node.level), via): node.pk}


def children_of(node) -> list:
    """The node's children, by name: streets of a district, communities of a street, compounds of a community."""
    level = str(node.level)
    if level == "district":
        return list(Street.objects.filter(district_id=node.pk).order_by("name"))
    if level == "street":
        return list(Community.objects.filter(street_id=node.pk).order_by("name"))
    if level == "community":
        return list(Compound.objects.filter(community_id=node.pk).order_by("name"))
    return []


def breadcrumb(node) -> list:
    """The node's ancestors from the district down, the node last: two queries at most."""
    level = str(node.level)
    if level == "district":
        return [node]
    if level == "street":
        return [District.objects.get(pk=node.district_id), node]
    if level == "community":
        street = Street.objects.select_related("district").defer("district__boundary").get(pk=node.street_id)
        return [street.district, street, node]
    community = (Community.objects.select_related("street__district").defer("street__district__boundary")
                 .get(pk=node.community_id))
    return [community.street.district, community.street, community, node]


# --- the grouped rows: one query per source, grouped by a level's column ------------------------------------------

def _grouped(qs, key: str, **aggregates) -> dict:
    return {row[key]: row for row in qs.values(key).annotate(**aggregates).order_by()}


def _month_index(period) -> tuple[int, int]:
    return period.first.year * 12 + period.first.month, period.last.year * 12 + period.last.month


# The children's names of the petitions' counts: a satisfied petition is one whose latest rating is 4 or 5.
PETITION_COLUMNS = {"total": "petitions", "rated_satisfied": "satisfied"}


def rows_by(node, level: str, period) -> dict[int, dict]:
    """{id of each node of `level` under `node`: its counts over the period}: nine grouped queries at most."""
    compounds = Compound.objects.filter(**_in(node, "self"))
    key = _col(level, "self")
    base = _grouped(
        compounds, key,
        compounds=Count("pk"), households=Coalesce(Sum("household_count"), 0),
        with_party_organization=Count("pk", filter=Q(Exists(PartyOrganization.objects.filter(
            compound_id=OuterRef("pk"))))),
        with_owners_committee=Count("pk", filter=Q(Exists(Body.objects.filter(
            compound_id=OuterRef("pk"), kind__in=Body.OWNERS_COMMITTEE_KINDS)))),
        with_commissioner=Count("pk", filter=Q(Exists(RoleAssignment.objects.filter(
            compound_id=OuterRef("pk"), role=Role.COMMISSIONER)))),
        professional=Count("pk", filter=Q(management_mode=ManagementMode.PROFESSIONAL)),
    )
    # From the petitions' summary rows of the nodes found above (two queries at most), never the raw rows.
    petitions = {pk: {PETITION_COLUMNS.get(name, name): n for name, n in counts.items()}
                 for pk, counts in petition_figures_by_node(level, base, period.start, period.end).items()}
    first, last = _month_index(period)
    bills = FeeBill.objects.annotate(ym=F("year") * 12 + F("month")).filter(
        **_in(node, "compound__"), ym__gte=first, ym__lte=last)
    billed = _grouped(bills, _col(level, "compound__"), billed=Sum("amount"))
    paid = _grouped(FeePayment.objects.filter(**_in(node, "compound__"), paid_on__gte=period.first,
                                              paid_on__lte=period.last),
                    _col(level, "compound__"), paid=Sum("amount"))
    funds = _grouped(Account.objects.filter(**_in(node), kind=AccountKind.HOUSEHOLD_FUND), _col(level),
                     fund_balance=Sum("balance"))
    applications = _grouped(
        FundApplication.objects.filter(**_in(node), status__in=WAITING), _col(level),
        waiting=Count("pk"), **{f"waiting_{s}": Count("pk", filter=Q(status=s)) for s in WAITING})
    statements = _grouped(
        MonthlyStatement.objects.annotate(ym=F("year") * 12 + F("month")).filter(
            **_in(node), ym__gte=first, ym__lte=last), _col(level),
        statements=Count("pk"), compounds_publishing=Count("compound_id", distinct=True))
    exits = _grouped(
        ExitCase.objects.filter(**_in(node)).filter(
            Q(opened_at__gte=period.start, opened_at__lt=period.end)
            | Q(completed_on__gte=period.first, completed_on__lte=period.last)),
        _col(level), exits=Count("pk", filter=Q(opened_at__gte=period.start, opened_at__lt=period.end)),
        takeovers=Count("pk", filter=Q(status=ExitCase.Status.DONE, completed_on__gte=period.first,
                                       completed_on__lte=period.last)))
    out = {}
    for pk, row in base.items():
        entry = {k: v for k, v in row.items() if k != key}
        for source in (petitions, billed, paid, funds, applications, statements, exits):
            entry.update({k: v for k, v in source.get(pk, {}).items() if k != _col(level) and k != key
                          and not k.endswith("_id")})
        out[pk] = _derived(entry)
    return out


COUNTS = ("compounds", "households", "with_party_organization", "with_owners_committee", "with_commissioner",
          "professional", "petitions", "rejected", "merged", "resolved", "on_time", "in_compound", "escalated",
          "rated", "satisfied", "waiting", *(f"waiting_{s}" for s in WAITING), "statements", "compounds_publishing",
          "exits", "takeovers")
MONEY = ("billed", "paid", "fund_balance")


def _derived(entry: dict) -> dict:
    for name in COUNTS:
        entry[name] = entry.get(name) or 0
    for name in MONEY:
        entry[name] = entry.get(name) or ZERO
    compounds = entry["compounds"]
    entry["party_organization_coverage"] = share(entry["with_party_organization"], compounds)
    entry["owners_committee_coverage"] = share(entry["with_owners_committee"], compounds)
    entry["commissioner_coverage"] = share(entry["with_commissioner"], compounds)
    entry["professional_coverage"] = share(entry["professional"], compounds)
    countable = entry["petitions"] - entry["rejected"] - entry["merged"]
    entry["resolution_rate"] = share(entry["resolved"], countable)
    entry["on_time_rate"] = share(entry["on_time"], entry["resolved"])
    entry["satisfaction_rate"] = share(entry["satisfied"], entry["rated"])
    entry["settled_in_compound"] = share(entry["in_compound"], entry["resolved"])
    entry["fee_collection"] = share(entry["paid"], entry["billed"]) if entry["billed"] else None
    entry["statement_share"] = share(entry["compounds_publishing"], compounds)
    entry["petitions_per_100"] = (round(entry["petitions"] * 100 / entry["households"], 2)
                                  if entry["households"] else None)
    return entry


# The columns of the children's ranking a user may rank by, with the direction that ranks first.
RANKABLE = {
    "party_organization_coverage": True, "owners_committee_coverage": True, "professional_coverage": True,
    "commissioner_coverage": True, "petitions": False, "petitions_per_100": False, "resolution_rate": True,
    "on_time_rate": True, "satisfaction_rate": True, "settled_in_compound": True, "fee_collection": True,
    "statement_share": True, "fund_balance": True, "waiting": False,
}
DEFAULT_RANK = "satisfaction_rate"


def ranked_children(node, period, rank_by: str = DEFAULT_RANK) -> list[dict]:
    """The node's children with their figures, ranked by `rank_by` (best first; those without the figure last)."""
    level = CHILD_LEVEL.get(str(node.level))
    if level is None:
        return []
    rows = rows_by(node, level, period)
    higher_first = RANKABLE.get(rank_by, True)
    children = []
    for child in children_of(node):
        entry = rows.get(child.pk) or _derived({})
        children.append({"id": child.pk, "name": child.name, "level": level, **entry})
    present = [c for c in children if c.get(rank_by) is not None]
    missing = [c for c in children if c.get(rank_by) is None]
    present.sort(key=lambda c: (-c[rank_by] if higher_first else c[rank_by], c["name"]))
    for i, child in enumerate(present, 1):
        child["rank"] = i
    for child in missing:
        child["rank"] = None
    return present + missing


# --- the node's own sections --------------------------------------------------------------------------------------

def _compounds(node):
    return Compound.objects.filter(**_in(node, "self"))


def _communities(node):
    level = str(node.level)
    if level == "compound":
        return Community.objects.filter(pk=node.community_id)
    if level == "community":
        return Community.objects.filter(pk=node.pk)
    return Community.objects.filter(**{f"{level}_id": node.pk})


def party_organizations_by_kind(node) -> dict[str, int]:
    """Party organizations of the node by form (owners' committee branch, firm branch …): one query."""
    level = str(node.level)
    if level == "compound":
        qs = PartyOrganization.objects.filter(compound_id=node.pk)
    elif level in ("district", "community"):
        qs = PartyOrganization.objects.filter(**{f"{level}_id": node.pk})
    else:
        qs = PartyOrganization.objects.filter(community__street_id=node.pk)
    return dict(qs.values_list("kind").annotate(n=Count("pk")).order_by("kind"))


def firm_figures(node, period) -> dict:
    """The firms serving the node's compounds: stars (latest rating up to the period's year), the red and black
    lists of the latest published quarter, exits and takeovers. Six queries."""
    contracts = Contract.objects.filter(status=Contract.Status.ACTIVE, **_in(node, "compound__"))
    firm_ids = contracts.values("firm_id")
    latest_year = Stars.objects.filter(firm_id=OuterRef("firm_id"), year__lte=period.last.year).order_by(
        "-year").values("year")[:1]
    stars = dict(Stars.objects.filter(firm_id__in=firm_ids, year=Subquery(latest_year, output_field=IntegerField()))
                 .values_list("stars").annotate(n=Count("pk")).order_by("stars"))
    district_id = node.pk if str(node.level) == "district" else node.district_id
    published = Period.objects.filter(district_id=district_id, status=Period.Status.PUBLISHED,
                                      starts_on__lte=period.last).order_by("-year", "-quarter").first()
    placements = {}
    if published is not None:
        placements = dict(FirmResult.objects.filter(period=published, firm_id__in=firm_ids)
                          .exclude(placement="").values_list("placement").annotate(n=Count("pk")).order_by())
    firms = list(
        contracts.values("firm_id", "firm__name").annotate(
            compounds=Count("compound_id"),
            stars=Subquery(Stars.objects.filter(firm_id=OuterRef("firm_id"), year__lte=period.last.year)
                           .order_by("-year").values("stars")[:1]),
            placement=Subquery(FirmResult.objects.filter(firm_id=OuterRef("firm_id"), period=published)
                               .values("placement")[:1]) if published else Subquery(
                FirmResult.objects.none().values("placement")),
        ).order_by("-compounds", "firm__name")[:50]
    )
    exits = ExitCase.objects.filter(**_in(node)).aggregate(
        opened=Count("pk", filter=Q(opened_at__gte=period.start, opened_at__lt=period.end)),
        open_now=Count("pk", filter=Q(status__in=(ExitCase.Status.OPEN, ExitCase.Status.HANDOVER))),
        takeovers=Count("pk", filter=Q(status=ExitCase.Status.DONE, completed_on__gte=period.first,
                                       completed_on__lte=period.last)),
    )
    return {
        "firms_serving": len({f["firm_id"] for f in firms}),
        "stars": {n: stars.get(n, 0) for n in range(5, 0, -1)},
        "published_period": str(published) if published else None,
        "red": placements.get(Placement.RED, 0), "black": placements.get(Placement.BLACK, 0),
        "exits": exits["opened"], "exits_open": exits["open_now"], "takeovers": exits["takeovers"],
        "firms": [{"id": f["firm_id"], "name": f["firm__name"], "compounds": f["compounds"], "stars": f["stars"],
                   "placement": f["placement"] or ""} for f in firms],
    }


def targets(node, today: datetime.date) -> list[dict]:
    """The district's campaign targets with progress over the node's communities and where each stands against
    its deadline: reached, on track, due soon (30 days), overdue, or not measured. A counting target's value is
    its progress towards the number to reach (6 of 20 is 0.3, against a target of 1); each row carries its
    measure's definition."""
    district_id = node.pk if str(node.level) == "district" else node.district_id
    rows = targets_progress(list(CampaignTarget.objects.filter(district_id=district_id).order_by("number", "pk")),
                            _communities(node))
    definitions = measure_definitions()
    for row in rows:
        deadline = datetime.date.fromisoformat(row["deadline"])
        row["days_left"] = (deadline - today).days
        row["definition"] = definitions.get(row["measure"]) if row["measure"] else None
        overall = row["overall"]
        reached = overall["reached"] if overall else None
        if overall is None or overall["value"] is None:
            row["standing"] = "unmeasured"
        elif reached:
            row["standing"] = "reached"
        elif row["days_left"] < 0:
            row["standing"] = "overdue"
        elif row["days_left"] <= 30:
            row["standing"] = "due_soon"
        else:
            row["standing"] = "on_track"
        goal = None if row["target_value"] is None else float(row["target_value"])
        if overall is None or overall["value"] is None:
            row["value"], row["done"] = None, ""
        elif row["kind"] == "count":
            row["value"] = overall["hit"] / goal if goal else None
            row["done"] = f'{overall["hit"]} / {goal:.0f}' if goal else str(overall["hit"])
        else:
            row["value"] = float(overall["value"])
            row["done"] = f'{overall["hit"]} / {overall["total"]}'
        row["target"] = 1.0 if row["kind"] == "count" and goal else goal
    return rows


def overview(node, period, *, rank_by: str = DEFAULT_RANK, today: datetime.date | None = None) -> dict:
    """Everything the overview page shows of a node over a period. A fixed number of queries (asserted)."""
    today = today or datetime.date.today()
    own = rows_by(node, str(node.level), period).get(node.pk) or _derived({})
    petitions = petition_figures(node, period.start, period.end)
    return {
        "node": node, "level": str(node.level), "period": period,
        "totals": own,
        "coverage": coverage(_compounds(node)),
        "party_organizations": party_organizations_by_kind(node),
        "petitions": petitions,
        "firms": firm_figures(node, period),
        "targets": targets(node, today),
        "children": ranked_children(node, period, rank_by),
        "rank_by": rank_by,
    }


def compounds_on_map(node, period) -> list[dict]:
    """The node's compounds with their coordinates and figures: ten queries at most, whatever their number."""
    rows = rows_by(node, "compound", period)
    out = []
    for c in _compounds(node).values("pk", "name", "longitude", "latitude").order_by("name"):
        entry = rows.get(c["pk"]) or _derived({})
        out.append({**entry, "id": c["pk"], "name": c["name"],
                    "longitude": None if c["longitude"] is None else float(c["longitude"]),
                    "latitude": None if c["latitude"] is None else float(c["latitude"])})
    return out


# --- the compound's single page (一小区一档案) -------------------------------------------------------------------

def compound_record(compound, period) -> dict:
    """A compound in one place: its buildings with their heads, its bodies and their members, its party
    organizations, its firm and contract, its petitions of the period with the latest ones, its money. A fixed
    number of queries; names only, no phone numbers (roles.md: personal data stays masked)."""
    buildings = list(Building.objects.filter(compound_id=compound.pk).annotate(
        households_count=Count("households")).order_by("name"))
    heads = {h.building_id: h for h in BuildingHead.objects.filter(building__compound_id=compound.pk)
             .select_related("person")}
    for b in buildings:
        b.head_record = heads.get(b.pk)
    bodies = list(Body.objects.filter(compound_id=compound.pk).order_by("kind", "pk"))
    members = {}
    for m in BodyMember.objects.filter(body__compound_id=compound.pk).select_related("person").order_by(
            "body_id", "office", "pk"):
        members.setdefault(m.body_id, []).append(m)
    for body in bodies:
        body.member_list = members.get(body.pk, [])
    commissioners = list(RoleAssignment.objects.filter(compound_id=compound.pk, role=Role.COMMISSIONER)
                         .select_related("user").order_by("pk"))
    residents = Residency.objects.filter(household__compound_id=compound.pk).aggregate(
        people=Count("person_id", distinct=True), owners=Count("pk", filter=Q(relation=Residency.Relation.OWNER)))
    recent = list(Petition.objects.filter(compound_id=compound.pk).select_related("category")
                  .order_by("-created_at")[:10])
    accounts = dict(Account.objects.filter(compound_id=compound.pk, household__isnull=True)
                    .values_list("kind", "balance"))
    statements = list(MonthlyStatement.objects.filter(compound_id=compound.pk).order_by("-year", "-month")[:6])
    applications = list(FundApplication.objects.filter(compound_id=compound.pk).order_by("-created_at")[:10])
    return {
        "compound": compound,
        "buildings": buildings, "bodies": bodies, "commissioners": commissioners,
        "party_organizations": party_organizations_for_portal([compound.pk]),
        "residents": residents,
        "contract": active_contract(compound.pk),
        "recent_petitions": recent,
        "accounts": accounts,
        "statements": statements, "applications": applications,
    }
