"""The overview's figures as tables (what the page shows beside each chart and what the Excel export writes, so the
two can never differ) and as ECharts options (plain JSON: the page carries them in json_script, static/dashboards/
charts.js draws them; no inline script under the Content-Security-Policy)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.models import PartyOrganization
from petitions.models import Source

# Column formats: how a cell is shown and how the export formats it.
INT, PCT, MONEY, TEXT, NUM = "int", "pct", "money", "text", "num"


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (heading, format)
    rows: list[list] = field(default_factory=list)
    links: list = field(default_factory=list)  # per row: a drill-down URL or None


def _pct(v):
    return None if v is None else round(v * 100, 1)


CHILD_COLUMNS = [
    ("party_organization_coverage", gettext_noop("Party organization coverage"), PCT),
    ("owners_committee_coverage", gettext_noop("Owners' committee coverage"), PCT),
    ("professional_coverage", gettext_noop("Professional management"), PCT),
    ("commissioner_coverage", gettext_noop("Commissioner coverage"), PCT),
    ("petitions", gettext_noop("Petitions"), INT),
    ("petitions_per_100", gettext_noop("Petitions per 100 households"), NUM),
    ("resolution_rate", gettext_noop("Resolution rate"), PCT),
    ("on_time_rate", gettext_noop("On-time rate"), PCT),
    ("satisfaction_rate", gettext_noop("Satisfaction"), PCT),
    ("settled_in_compound", gettext_noop("Settled in the compound"), PCT),
    ("fee_collection", gettext_noop("Fee collection"), PCT),
    ("statement_share", gettext_noop("Statements published"), PCT),
    ("fund_balance", gettext_noop("Maintenance fund (yuan)"), MONEY),
    ("waiting", gettext_noop("Fund applications waiting"), INT),
]


def child_column_label(key: str) -> str:
    for k, label, _f in CHILD_COLUMNS:
        if k == key:
            return _(label)
    return key


def level_label(level: str) -> str:
    return {"district": _("District"), "street": _("Street"), "community": _("Community"),
            "compound": _("Compound")}[level]


def build_tables(data: dict, link=None) -> dict[str, Table]:
    """Every table of the overview, by key. `link(level, pk)` gives a child's drill-down URL (None: no links)."""
    out: dict[str, Table] = {}
    children = data["children"]
    if children:
        level = children[0]["level"]
        t = Table("children", _("%(level)s ranking") % {"level": level_label(level)},
                  [(_("Rank"), INT), (level_label(level), TEXT), (_("Compounds"), INT), (_("Households"), INT)]
                  + [(_(label), fmt) for _k, label, fmt in CHILD_COLUMNS])
        for c in children:
            t.rows.append([c["rank"], c["name"], c["compounds"], c["households"]]
                          + [c[k] for k, _l, _f in CHILD_COLUMNS])
            t.links.append(link(level, c["id"]) if link else None)
        out["children"] = t

    cov, totals = data["coverage"], data["totals"]
    out["coverage"] = Table("coverage", _("Coverage"), [(_("Figure"), TEXT), (_("This period"), PCT), (_("Count"), TEXT)], [
        [_("Compounds with a party organization"), _f(cov["party_organization_coverage"]),
         f'{cov["compounds_with_party_organization"]} / {cov["compounds"]}'],
        [_("Compounds with an owners' committee"), _f(cov["owners_committee_coverage"]),
         f'{cov["compounds_with_owners_committee"]} / {cov["compounds"]}'],
        [_("Committees covered by the party"), _f(cov["committee_party_coverage"]),
         f'{cov["committees_party_covered"]} / {cov["compounds_with_owners_committee"]}'],
        [_("Party members among committee members"), _f(cov["committee_party_member_share"]),
         f'{cov["committee_party_members"]} / {cov["committee_members"]}'],
        [_("Professional property management"), totals["professional_coverage"],
         f'{totals["professional"]} / {totals["compounds"]}'],
        [_("Compounds with a commissioner"), _f(cov["commissioner_coverage"]),
         f'{totals["with_commissioner"]} / {totals["compounds"]}'],
        [_("Buildings with a head"), _f(cov["building_head_coverage"]), str(cov["buildings"])],
        [_("In-service party members who reported in"), _f(cov["member_reporting_rate"]),
         str(cov["in_service_party_members"])],
        [_("Electronic ballots"), _f(cov["electronic_ballot_share"]), str(cov["ballots"])],
    ])
    kinds = dict(PartyOrganization.Kind.choices)
    out["party_organizations"] = Table(
        "party_organizations", _("Party organizations by form"), [(_("Form"), TEXT), (_("Count"), INT)],
        [[str(kinds.get(k, k)), n] for k, n in data["party_organizations"].items()])

    p = data["petitions"]
    sources = dict(Source.choices)
    out["channels"] = Table("channels", _("Petitions by channel"), [(_("Channel"), TEXT), (_("Petitions"), INT)],
                            [[str(sources.get(k, k)), n] for k, n in p["by_channel"].items()])
    out["categories"] = Table("categories", _("Petitions by category"), [(_("Category"), TEXT), (_("Petitions"), INT)],
                              sorted(([k or "—", n] for k, n in p["by_category"].items()), key=lambda r: -r[1]))
    out["complaints"] = Table("complaints", _("Complaints"), [(_("Figure"), TEXT), (_("This period"), TEXT)], [
        [_("Petitions"), p["total"]],
        [_("Same period a year before"), p["previous_year_total"]],
        [_("Year on year"), _signed_pct(p["year_on_year"])],
        [_("Resolution rate"), _pct_text(p["resolution_rate"])],
        [_("On-time rate"), _pct_text(p["on_time_rate"])],
        [_("Satisfaction"), _pct_text(p["satisfaction_rate"])],
        [_("Settled in the compound"), _pct_text(p["settled_in_compound"])],
        [_("Escalated"), _pct_text(p["escalated_share"])],
        [_("Median time to accept"), _hours(p["median_to_accept"])],
        [_("Median time to resolve"), _hours(p["median_to_resolve"])],
    ])
    out["departments"] = Table(
        "departments", _("Departments' answers to whistles"),
        [(_("Department"), TEXT), (_("Whistles"), INT), (_("Answered"), INT), (_("Late"), INT),
         (_("Mean answer (hours)"), NUM)],
        [[d["department__name"], d["calls"], d["answered"], d["late"],
          None if d["mean_response"] is None else round(d["mean_response"].total_seconds() / 3600, 1)]
         for d in p["departments"]])

    f = data["firms"]
    out["stars"] = Table("stars", _("Firms by stars"), [(_("Stars"), TEXT), (_("Firms"), INT)],
                         [["★" * n, count] for n, count in f["stars"].items()])
    placements = {"red": _("Red list"), "black": _("Black list"), "": "—"}
    out["firms"] = Table("firms", _("Firms serving the compounds"),
                         [(_("Firm"), TEXT), (_("Compounds"), INT), (_("Stars"), INT), (_("List"), TEXT)],
                         [[x["name"], x["compounds"], x["stars"], placements.get(x["placement"], "—")]
                          for x in f["firms"]])

    out["money"] = Table("money", _("Money"), [(_("Figure"), TEXT), (_("This period"), TEXT)], [
        [_("Maintenance fund balance (yuan)"), f'{totals["fund_balance"]:,.2f}'],
        [_("Applications waiting for the community"), totals["waiting_at_community"]],
        [_("Applications waiting for the street"), totals["waiting_at_street"]],
        [_("Applications waiting for the district centre"), totals["waiting_at_center"]],
        [_("Monthly statements published"), totals["statements"]],
        [_("Compounds that published a statement"), _pct_text(totals["statement_share"])],
        [_("Property fees billed (yuan)"), f'{totals["billed"]:,.2f}'],
        [_("Property fees collected (yuan)"), f'{totals["paid"]:,.2f}'],
        [_("Fee collection"), _pct_text(totals["fee_collection"])],
    ])

    standings = standing_labels()
    out["targets"] = Table(
        "targets", _("Campaign targets"),
        [(_("No."), INT), (_("Task"), TEXT), (_("Target"), PCT), (_("Now"), PCT), (_("Done / all"), TEXT),
         (_("Deadline"), TEXT), (_("Days left"), INT), (_("Standing"), TEXT), (_("Measured as"), TEXT)],
        [[t["number"], t["task"], t["target"], t["value"], t["done"], t["deadline"], t["days_left"],
          standings[t["standing"]], "" if t["definition"] is None else str(t["definition"])]
         for t in data["targets"]])
    return out


def standing_labels() -> dict:
    return {"reached": _("Reached"), "on_track": _("On track"), "due_soon": _("Due within 30 days"),
            "overdue": _("Overdue"), "unmeasured": _("Not measured yet")}


def _f(value):
    return None if value is None else float(value)


def _pct_text(v):
    return "—" if v is None else f"{v * 100:.1f}%"


def _signed_pct(v):
    return "—" if v is None else f"{v * 100:+.1f}%"


def _hours(d):
    return "—" if d is None else _("%(h).1f h") % {"h": d.total_seconds() / 3600}


# --- charts -------------------------------------------------------------------------------------------------------

PALETTE = ["#c0262d", "#e8743b", "#f2b134", "#3a7d7c", "#4c6ef5", "#7b5ea7", "#8d99ae", "#2b9348"]
TOOLTIP = {"trigger": "item", "renderMode": "richText"}  # rich text: ECharts' HTML tooltips carry style attributes


def _bar(names, values, *, percent=False, horizontal=False, color=PALETTE[0], mark=None):
    axis_value = {"type": "value", "axisLabel": {"formatter": "{value}%" if percent else "{value}"}}
    if percent:
        axis_value["max"] = 100
    else:
        axis_value["minInterval"] = 1
    axis_cat = {"type": "category", "data": names, "axisLabel": {"interval": 0, "overflow": "truncate",
                                                                 "width": 130 if horizontal else 80}}
    if horizontal:
        axis_cat["inverse"] = True
    series = {"type": "bar", "data": values, "itemStyle": {"color": color, "borderRadius": 3},
              "label": {"show": True, "position": "right" if horizontal else "top",
                        "formatter": "{c}%" if percent else "{c}"}, "barMaxWidth": 28}
    if mark:
        series["markLine"] = mark
    return {
        "color": PALETTE, "tooltip": {**TOOLTIP, "trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 24, "bottom": 8, "containLabel": True},
        "xAxis": axis_value if horizontal else axis_cat, "yAxis": axis_cat if horizontal else axis_value,
        "series": [series],
    }


def _pie(pairs):
    return {
        "color": PALETTE, "tooltip": {**TOOLTIP, "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "orient": "vertical", "right": 0, "top": "middle"},
        "series": [{"type": "pie", "radius": ["40%", "70%"], "center": ["35%", "50%"],
                    "itemStyle": {"borderColor": "#fff", "borderWidth": 2},
                    "label": {"show": False}, "data": [{"name": n, "value": v} for n, v in pairs]}],
    }


def build_charts(data: dict, tables: dict[str, Table]) -> dict[str, dict]:
    """{chart id: {"title", "table" (the key of its table), "option" (ECharts JSON)}}."""
    charts = {}
    rank_by = data["rank_by"]
    if data["children"]:
        rankable = [c for c in data["children"] if c.get(rank_by) is not None]
        pct = any(k == rank_by and fmt == PCT for k, _l, fmt in CHILD_COLUMNS)
        values = [_pct(c[rank_by]) if pct else float(c[rank_by]) for c in rankable]
        charts["children"] = {"title": child_column_label(rank_by), "table": "children",
                              "option": _bar([c["name"] for c in rankable], values, percent=pct, horizontal=True)}
    cov = tables["coverage"]
    charts["coverage"] = {"title": _("Coverage"), "table": "coverage", "option": _bar(
        [r[0] for r in cov.rows], [_pct(r[1]) for r in cov.rows], percent=True, horizontal=True, color=PALETTE[3])}
    charts["channels"] = {"title": _("Petitions by channel"), "table": "channels",
                          "option": _pie(tables["channels"].rows)}
    cats = tables["categories"].rows[:10]
    charts["categories"] = {"title": _("Petitions by category"), "table": "categories",
                            "option": _bar([r[0] for r in cats], [r[1] for r in cats], horizontal=True,
                                           color=PALETTE[1])}
    stars = tables["stars"].rows
    charts["stars"] = {"title": _("Firms by stars"), "table": "stars",
                       "option": _bar([r[0] for r in stars], [r[1] for r in stars], color=PALETTE[2])}
    totals = data["totals"]
    charts["applications"] = {"title": _("Fund applications waiting"), "table": "money", "option": _bar(
        [_("Community"), _("Street"), _("District centre")],
        [totals["waiting_at_community"], totals["waiting_at_street"], totals["waiting_at_center"]],
        color=PALETTE[4])}
    measured = [t for t in data["targets"] if t["value"] is not None]
    option = _bar([f'{t["number"]}' for t in measured], [_pct(t["value"]) for t in measured], percent=True,
                  color=PALETTE[3])
    option["series"].append({"type": "scatter", "symbol": "rect", "symbolSize": [22, 3],
                             "itemStyle": {"color": PALETTE[0]}, "name": _("Target"),
                             "data": [_pct(t["target"]) for t in measured]})
    option["series"][0]["name"] = _("Now")
    option["series"][0]["itemStyle"] = {"borderRadius": 3}
    option["series"][0]["data"] = [
        {"value": _pct(t["value"]), "itemStyle": {"color": _standing_color(t["standing"])}} for t in measured]
    option["legend"] = {"top": 0, "right": 0}
    charts["targets"] = {"title": _("Campaign targets"), "table": "targets", "option": option}
    return charts


def _standing_color(standing: str) -> str:
    return {"reached": "#2b9348", "on_track": "#3a7d7c", "due_soon": "#f2b134", "overdue": "#c0262d"}.get(
        standing, "#8d99ae")
