"""The dashboards' pages. Every route names a node (level and id); a node the user may not read is a 404, the same as
one that does not exist (petitions.policies.figures_node: the offices of its subtree and a compound's commissioner).
A bad period or ranking is a 400 with the field's message."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from communities.geo import as_feature_collection
from communities.models import District
from communities.policy import node_ids
from communities.scope import scope_for
from dashboards import nodes, selectors
from dashboards.periods import KINDS, period_from
from dashboards.strength import selectors as strength_selectors
from dashboards.tables import (
    CHILD_COLUMNS,
    MONEY,
    NUM,
    PCT,
    build_charts,
    build_tables,
    child_column_label,
    level_label,
    standing_labels,
)
from petitions.policies import FIGURES_ROLES, reads_figures

# Who lands on a dashboard after logging in (portal.views.home sends them here): the offices. A commissioner may
# open its compounds' pages but keeps its own start page.
# The figures a compound's dot on the map may be coloured by.
MAP_FIGURES = ("satisfaction_rate", "resolution_rate", "on_time_rate", "petitions", "petitions_per_100",
               "fee_collection", "fund_balance")


class BadRequest(Exception):
    def __init__(self, errors):
        self.errors = errors


def node_or_404(user, level: str, pk: int):
    """The node whose figures the user reads (petitions.policies.reads_figures); 404 for any other."""
    return nodes.node_or_404(user, level, pk, reaches=reads_figures)


def _crumbs(user, node, name, period):
    """The breadcrumb: each ancestor with its page, linked only where the user may open it (no query: the scope is
    in memory)."""
    scope = scope_for(user)
    out = []
    for n in selectors.breadcrumb(node):
        readable = scope.is_superuser or bool(scope.reaching(node_ids(n), roles=FIGURES_ROLES))
        out.append((n, level_label(str(n.level)), _node_url(name, str(n.level), n.pk, period) if readable else None))
    return out


def _node_url(name, level, pk, period=None, **extra):
    url = reverse(f"dashboards:{name}", args=[level, pk])
    query = [period.query()] if period else []
    query += [f"{k}={v}" for k, v in extra.items()]
    return f"{url}?{'&'.join(query)}" if query else url


def _read(request, node):
    """(period, rank_by) from the query string; BadRequest with the fields' messages when they are wrong."""
    period, form = period_from(request.GET)
    errors = dict(form.errors.items()) if period is None else {}
    rank_by = request.GET.get("rank") or selectors.DEFAULT_RANK
    if rank_by not in selectors.RANKABLE:
        errors["rank"] = [_("Rank by one of the columns offered.")]
    if errors:
        raise BadRequest({k: [str(m) for m in v] for k, v in errors.items()})
    return period, form, rank_by


def _bad_page(request, node, errors):
    return render(request, "dashboards/bad_request.html", {"node": node, "errors": errors}, status=400)


@login_required
def home(request):
    """The user's own top node: the district for the district's offices, else the street, the community, a
    commissioner's first compound. Staff without figures (firms, departments) and residents: 403."""
    scope = scope_for(request.user)
    own = nodes.home_node(scope, FIGURES_ROLES)
    if own is None:
        if scope.is_superuser:  # no district yet
            raise Http404
        raise PermissionDenied
    return redirect("dashboards:overview", *own)


def _context(request, node):
    period, form, rank_by = _read(request, node)
    data = selectors.overview(node, period, rank_by=rank_by)

    def link(level, pk):
        return _node_url("overview", level, pk, period)

    tables = build_tables(data, link=link)
    charts = build_charts(data, tables)
    for key, chart in charts.items():
        chart["id"] = f"chart-{key}"
        chart["option_id"] = f"chart-{key}-option"
        chart["table_obj"] = tables.get(chart["table"])
    return {
        "node": node, "level": data["level"], "data": data, "period": period, "form": form,
        "period_kinds": KINDS, "tables": tables, "charts": charts,
        "export_urls": {key: _export_url(data["level"], node.pk, key, period, rank_by) for key in tables},
        "breadcrumb": _crumbs(request.user, node, "overview", period),
        "rank_by": rank_by, "rank_label": child_column_label(rank_by),
        "rank_choices": [(k, _(label)) for k, label, _f in CHILD_COLUMNS if k in selectors.RANKABLE],
        "child_level": selectors.CHILD_LEVEL.get(data["level"]),
        "child_level_label": level_label(selectors.CHILD_LEVEL[data["level"]])
        if data["level"] in selectors.CHILD_LEVEL else "",
        "overview_url": _node_url("overview", data["level"], node.pk, period),
        "screen_url": _node_url("screen", data["level"], node.pk, period),
        "map_url": _node_url("map", data["level"], node.pk, period),
        "strength_url": reverse("dashboards:strength-compound", args=[node.pk]) if data["level"] == "compound"
        else reverse("dashboards:strength-node", args=[data["level"], node.pk]),
        "kpis": _kpis(data),
        "standings": standing_labels(),
        "can_admin": request.user.is_staff,
    }


def _export_url(level, pk, key, period, rank_by):
    return f"{reverse('dashboards:export', args=[level, pk, key])}?{period.query()}&rank={rank_by}"


def _kpis(data) -> list[dict]:
    """The headline figures, in the order the overview and the screen show them."""
    t, p, cov = data["totals"], data["petitions"], data["coverage"]
    measured = [x for x in data["targets"] if x["standing"] != "unmeasured"]
    reached = sum(1 for x in measured if x["standing"] == "reached")
    return [
        {"key": "compounds", "label": _("Compounds"), "value": f'{t["compounds"]:,}',
         "note": _("%(n)s households") % {"n": f'{t["households"]:,}'}},
        {"key": "party", "label": _("Party organization coverage"), "value": _p(cov["party_organization_coverage"]),
         "note": _("owners' committees %(v)s") % {"v": _p(cov["owners_committee_coverage"])}},
        {"key": "petitions", "label": _("Petitions"), "value": f'{p["total"]:,}',
         "note": _("year on year %(v)s") % {"v": "—" if p["year_on_year"] is None
                                             else f'{p["year_on_year"] * 100:+.1f}%'}},
        {"key": "resolution", "label": _("Resolution rate"), "value": _p(p["resolution_rate"]),
         "note": _("on time %(v)s") % {"v": _p(p["on_time_rate"])}},
        {"key": "satisfaction", "label": _("Satisfaction"), "value": _p(p["satisfaction_rate"]),
         "note": _("settled in the compound %(v)s") % {"v": _p(p["settled_in_compound"])}},
        {"key": "fees", "label": _("Fee collection"), "value": _p(t["fee_collection"]),
         "note": _("statements published %(v)s") % {"v": _p(t["statement_share"])}},
        {"key": "fund", "label": _("Maintenance fund"), "value": _wan(t["fund_balance"]),
         "note": _("%(n)s applications waiting") % {"n": t["waiting"]}},
        {"key": "targets", "label": _("Campaign targets reached"), "value": f"{reached} / {len(measured)}",
         "note": _("%(n)s of %(all)s measured") % {"n": len(measured), "all": len(data["targets"])}},
    ]


def _p(v):
    return "—" if v is None else f"{float(v) * 100:.1f}%"


def _wan(amount):
    return _("%(v)s 10k yuan") % {"v": f"{float(amount) / 10000:,.1f}"}


@login_required
def overview(request, level, pk):
    node = node_or_404(request.user, level, pk)
    try:
        ctx = _context(request, node)
    except BadRequest as e:
        return _bad_page(request, node, e.errors)
    if level == "compound":
        ctx["record"] = selectors.compound_record(node, ctx["period"])
        ctx["strength"] = strength_selectors.compound_summary(request.user, node)
        return render(request, "dashboards/compound.html", ctx)
    ctx["strength"] = strength_selectors.node_summary(request.user, node)
    return render(request, "dashboards/overview.html", ctx)


@login_required
def screen(request, level, pk):
    """The command-centre layout (大屏) for a wall display: the same figures, full screen, refreshing itself."""
    node = node_or_404(request.user, level, pk)
    try:
        ctx = _context(request, node)
    except BadRequest as e:
        return _bad_page(request, node, e.errors)
    ctx["data_url"] = _node_url("screen_data", level, node.pk, ctx["period"], rank=ctx["rank_by"])
    return render(request, "dashboards/screen.html", ctx)


@login_required
def screen_data(request, level, pk):
    """The screen's figures again, for its refresh: the headline figures and every chart's option."""
    node = node_or_404(request.user, level, pk)
    try:
        ctx = _context(request, node)
    except BadRequest as e:
        return JsonResponse({"errors": e.errors}, status=400)
    return JsonResponse({
        "node": {"level": level, "id": node.pk, "name": node.name}, "period": ctx["period"].label,
        "kpis": {k["key"]: {"value": k["value"], "note": k["note"]} for k in ctx["kpis"]},
        "charts": {c["id"]: c["option"] for c in ctx["charts"].values()},
    })


@login_required
def export(request, level, pk, table):
    """One table of the overview as an Excel workbook: the same rows the page shows, so the same scope."""
    node = node_or_404(request.user, level, pk)
    try:
        ctx = _context(request, node)
    except BadRequest as e:
        return JsonResponse({"errors": e.errors}, status=400)
    t = ctx["tables"].get(table)
    if t is None:
        raise Http404
    book = Workbook()
    sheet = book.active
    sheet.title = t.key[:31]
    sheet.append([f"{node.name} · {t.title}"])
    sheet.append([_("Period"), ctx["period"].label])
    sheet.append([])
    sheet.append([heading for heading, _fmt in t.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C0262D")
        cell.alignment = Alignment(horizontal="center")
    sheet["A1"].font = Font(bold=True, size=13)
    formats = {PCT: "0.0%", MONEY: "#,##0.00", NUM: "0.00"}
    for row in t.rows:
        sheet.append([float(v) if fmt in (PCT, MONEY, NUM) and v is not None else v
                      for v, (_h, fmt) in zip(row, t.columns, strict=True)])
        for cell, (_h, fmt) in zip(sheet[sheet.max_row], t.columns, strict=True):
            if fmt in formats:
                cell.number_format = formats[fmt]
    for i, (heading, _fmt) in enumerate(t.columns, 1):
        width = max([len(str(heading))] + [len(str(r[i - 1] or "")) for r in t.rows[:200]]) * 2 + 2
        sheet.column_dimensions[sheet.cell(row=header_row, column=i).column_letter].width = min(max(width, 8), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{node.name}-{t.title}-{ctx['period'].label}.xlsx")
    return response


@login_required
def map_page(request, level, pk):
    """The node's compounds on the district's map (电子落图), coloured by one figure the user picks."""
    node = node_or_404(request.user, level, pk)
    period, form = period_from(request.GET)
    figure = request.GET.get("figure") or MAP_FIGURES[0]
    errors = dict(form.errors.items()) if period is None else {}
    if figure not in MAP_FIGURES:
        errors["figure"] = [_("Colour by one of the figures offered.")]
    if errors:
        return _bad_page(request, node, {k: [str(m) for m in v] for k, v in errors.items()})
    district_id = node.pk if level == "district" else node.district_id
    compounds = selectors.compounds_on_map(node, period)
    pct = any(k == figure and fmt == PCT for k, _l, fmt in CHILD_COLUMNS)
    points = []
    for c in compounds:
        value = c[figure]
        shown = None if value is None else (round(float(value) * 100, 1) if pct else float(value))
        points.append({"name": c["name"], "value": [c["longitude"], c["latitude"], shown],
                       "url": _node_url("overview", "compound", c["id"], period)})
    placed = [p for p in points if p["value"][0] is not None]
    values = [p["value"][2] for p in placed if p["value"][2] is not None]
    low, high = min(values, default=0), max(values, default=1)
    if low == high:  # one compound, or all alike: a scale around it still colours the dot
        low, high = (0, 100) if pct else (low - 1, high + 1)
    option = {
        "tooltip": {"trigger": "item", "renderMode": "richText"},
        "geo": {"map": "district", "roam": True, "itemStyle": {"areaColor": "#f3efe9", "borderColor": "#c0262d",
                                                                 "borderWidth": 2},
                "emphasis": {"disabled": True}, "label": {"show": False}},
        "visualMap": {"type": "continuous", "min": low, "max": high,
                      "dimension": 2, "calculable": True, "left": 10, "bottom": 20,
                      "text": [_("High"), _("Low")],
                      "inRange": {"color": ["#c0262d", "#f2b134", "#2b9348"] if selectors.RANKABLE.get(figure, True)
                                  else ["#2b9348", "#f2b134", "#c0262d"]}},
        "series": [{"type": "scatter", "coordinateSystem": "geo", "symbolSize": 16, "data": placed,
                    "encode": {"tooltip": 2}, "label": {"show": True, "formatter": "{b}", "position": "right",
                                                       "fontSize": 11, "color": "#333"},
                    "itemStyle": {"borderColor": "#fff", "borderWidth": 1.5}}],
    }
    # The one page that shows the boundary reads it (every other read of a district leaves it unread).
    boundary = as_feature_collection(District.objects.filter(pk=district_id).values_list("boundary", flat=True)
                                     .first())
    if boundary:
        # Named areas (one per street, as the demo's) get a soft tint each and their name on the map.
        tints = ["#f6eee6", "#eef3ee", "#eef0f6", "#f6f0e0", "#f3ecf3", "#e9f2f2"]
        names = [(f.get("properties") or {}).get("name") for f in boundary["features"]]
        option["geo"]["regions"] = [{"name": n, "itemStyle": {"areaColor": tints[i % len(tints)]}}
                                    for i, n in enumerate(names) if n]
        option["geo"]["label"] = {"show": True, "color": "#b0868a", "fontSize": 13}
        option["geo"]["itemStyle"]["borderWidth"] = 1.5
    else:
        option.pop("geo")
        option["xAxis"] = {"type": "value", "scale": True, "show": False}
        option["yAxis"] = {"type": "value", "scale": True, "show": False}
        option["series"][0]["coordinateSystem"] = "cartesian2d"
    return render(request, "dashboards/map.html", {
        "node": node, "level": level, "period": period, "form": form, "period_kinds": KINDS,
        "breadcrumb": _crumbs(request.user, node, "map", period),
        "figure": figure, "figure_label": child_column_label(figure),
        "figures": [(k, child_column_label(k)) for k in MAP_FIGURES],
        "option": option, "boundary": boundary,
        "unplaced": [p["name"] for p in points if p["value"][0] is None],
        "rows": sorted(points, key=lambda p: (p["value"][2] is None, -(p["value"][2] or 0))),
        "pct": pct, "overview_url": _node_url("overview", level, node.pk, period),
        "screen_url": _node_url("screen", level, node.pk, period), "map_url": _node_url("map", level, node.pk, period),
        "can_admin": request.user.is_staff,
    })
