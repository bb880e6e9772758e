"""Demo petitions: a category catalogue per district, and petitions in every state, channel and level with their
timelines and whistles. Small scale: a few hundred; district scale: bulk (PostgreSQL COPY where available).

Rows are built directly (not through the services) so the seed stays fast; the values follow the same rules
the services apply (routing, clocks, rating outcomes).
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from communities.models import Compound, Department, Role, RoleAssignment
from petitions.models import (
    Category,
    CloseReason,
    DeadlineKind,
    EscalationLevel,
    EventKind,
    HandlerKind,
    Petition,
    PetitionEvent,
    Source,
    Status,
    Whistle,
)

User = get_user_model()
BATCH = 5000
# The issue asks for about 1,000,000 petitions at district scale; generating them takes about 80 s on the 2-core
# machine (eight indexes and seven foreign keys per row), which with the other seeders passes the 3-minute goal
# of the whole district seed. 300,000 (a year of a busy district) stay well inside it; the sweep benchmark
# builds its own million rows.
COUNTS = {"small": (300, 60), "district": (300_000, 2_000)}

# code, name, routing, department kind, accept hours, resolve hours
CATALOGUE = [
    ("repair", "公共设施维修", Category.Routing.BY_MANAGEMENT_MODE, None, 24, 72),
    ("lift", "电梯故障", Category.Routing.BY_MANAGEMENT_MODE, None, 2, 24),
    ("sanitation", "环境卫生", Category.Routing.BY_MANAGEMENT_MODE, None, 24, 48),
    ("parking", "停车秩序", Category.Routing.BY_MANAGEMENT_MODE, None, 24, 72),
    ("fees", "物业收费与服务", Category.Routing.BY_MANAGEMENT_MODE, None, 24, 120),
    ("neighbours", "邻里纠纷与噪音", Category.Routing.COMMUNITY_OFFICE, None, 24, 120),
    ("illegal_building", "违章搭建", Category.Routing.DEPARTMENT, Department.Kind.URBAN_MANAGEMENT, 24, 240),
    ("fire_safety", "消防隐患", Category.Routing.DEPARTMENT, Department.Kind.FIRE, 12, 48),
    ("security", "治安问题", Category.Routing.DEPARTMENT, Department.Kind.POLICE, 12, 48),
]
DESCRIPTIONS = {
    "repair": ["单元门禁损坏，无法正常开关", "楼道灯不亮已经一周", "小区围墙破损存在安全隐患", "屋顶渗水，雨天漏到楼道"],
    "lift": ["电梯经常停在两层之间", "电梯按钮失灵", "电梯运行异响"],
    "sanitation": ["垃圾桶满溢无人清运", "绿化带杂草丛生", "化粪池堵塞冒水"],
    "parking": ["消防通道被私家车占用", "电动车在楼道充电", "地面停车位划线不清"],
    "fees": ["物业费上涨未经业主大会表决", "公共收益去向不明", "保洁服务不到位"],
    "neighbours": ["楼上夜间噪音扰民", "邻居占用公共楼道堆放杂物", "宠物狗不拴绳"],
    "illegal_building": ["一楼住户私自搭建阳光房", "顶楼加盖违章建筑"],
    "fire_safety": ["消防栓无水", "灭火器过期", "楼道堆放易燃物"],
    "security": ["夜间有陌生人翻越围墙", "电动车被盗"],
}
# Final states and their weights.
OUTCOMES = [
    (Status.CLOSED, 52), ("not_rated", 8), ("merged", 2), (Status.REJECTED, 4), (Status.RESOLVED, 7),
    (Status.IN_PROGRESS, 7), (Status.ACCEPTED, 6), (Status.SUBMITTED, 6), (Status.TRANSFERRED, 4),
    (Status.REOPENED, 4),
]
LEVELS = [(EscalationLevel.COMPOUND, 78), (EscalationLevel.COMMUNITY, 12), (EscalationLevel.STREET, 7),
          (EscalationLevel.DISTRICT, 3)]
SOURCES = [(Source.PORTAL, 30), (Source.HOTLINE_12345, 25), (Source.LETTERS_VISITS, 5), (Source.WALK_IN, 8),
           (Source.PHONE, 12), (Source.GRID_PATROL, 12), (Source.CONSULTATION_BELL, 8)]


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


def seed_catalogue(district) -> list[Category]:
    departments = {d.kind: d for d in Department.objects.filter(district=district)}
    return Category.objects.bulk_create([
        Category(district=district, code=code, name=name, routing=routing,
                 department=departments.get(kind) if kind else None, accept_hours=accept, resolve_hours=resolve)
        for code, name, routing, kind, accept, resolve in CATALOGUE
    ])


def seed(ctx) -> None:
    now = timezone.now().replace(microsecond=0)
    for index, district in enumerate(ctx.districts):
        categories = seed_catalogue(district)
        count = COUNTS[ctx.scale][0 if index == 0 else 1]
        days = 365 if ctx.scale == "district" else 90
        if ctx.scale == "district" and index == 0 and connection.vendor == "postgresql":
            made = seed_in_sql(ctx, district, count, now, days)
        else:
            made = _seed_petitions(ctx, district, categories, count, now, days)
        ctx.say(f"  {district.name}: {len(categories)} petition categories, {made} petitions")


class _Routing:
    """Handlers of a district's compounds, computed once (the same rules as services.route)."""

    def __init__(self, district):
        from governance.models import Body
        from properties.models import Contract

        self.compounds = list(
            Compound.objects.filter(district=district).order_by("pk")
            .values_list("pk", "street_id", "community_id", "management_mode")
        )
        self.firm = dict(
            Contract.objects.filter(district=district, status=Contract.Status.ACTIVE).values_list("compound_id", "firm_id")
        )
        self.committee = set(
            Body.objects.filter(district=district, kind__in=["owners_committee", "interim_committee", "self_management"])
            .values_list("compound_id", flat=True)
        )

    def handler(self, compound_id, mode, category) -> tuple:
        if category.routing == Category.Routing.DEPARTMENT:
            return HandlerKind.DEPARTMENT, None, category.department_id
        if category.routing == Category.Routing.BY_MANAGEMENT_MODE:
            if mode == "professional" and compound_id in self.firm:
                return HandlerKind.FIRM, self.firm[compound_id], None
            if mode in ("professional", "self_managed") and compound_id in self.committee:
                return HandlerKind.COMMITTEE, None, None
        return HandlerKind.COMMUNITY_OFFICE, None, None


def _seed_petitions(ctx, district, categories, count, now, days) -> int:
    rng = ctx.rng
    routing = _Routing(district)
    if not routing.compounds:
        return 0
    departments = list(Department.objects.filter(district=district).values_list("pk", flat=True))
    staff = dict(RoleAssignment.objects.filter(district=district, role=Role.STREET_OFFICE).values_list("street_id", "user_id"))
    residents = {
        r.household.compound_id: r.person.user_id
        for r in _login_residencies(district)
    }
    use_copy = ctx.scale == "district" and connection.vendor == "postgresql"
    petitions, events, whistles = [], [], []
    next_id = (Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    demo = _demo_compound(district)
    made = 0
    for i in range(count):
        # The demo logins' compound gets a share, so every login has petitions to look at.
        if demo and i % 10 == 0:
            compound_id, street_id, community_id, mode = demo
        else:
            compound_id, street_id, community_id, mode = rng.choice(routing.compounds)
        category = rng.choice(categories)
        kind, firm_id, department_id = routing.handler(compound_id, mode, category)
        outcome = OUTCOMES[i % len(OUTCOMES)][0] if i < 40 else _pick(rng, OUTCOMES)
        level = LEVELS[i % len(LEVELS)][0] if i < 40 else _pick(rng, LEVELS)
        source = SOURCES[i % len(SOURCES)][0] if i < 40 else _pick(rng, SOURCES)
        created = now - datetime.timedelta(seconds=rng.randrange(3600, days * 86400))
        if outcome in (Status.SUBMITTED, Status.TRANSFERRED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED,
                       Status.RESOLVED) and rng.random() < 0.8:
            created = now - datetime.timedelta(seconds=rng.randrange(600, 5 * 86400))
        reporter = residents.get(compound_id) if source in (Source.PORTAL, Source.CONSULTATION_BELL) \
            and rng.random() < 0.5 else None
        p = _petition_row(rng, district, category, compound_id, street_id, community_id, kind, firm_id,
                          department_id, outcome, level, source, created, now, reporter, i)
        if demo and compound_id == demo[0] and kind == HandlerKind.FIRM and i % 3 == 0 \
                and compound_id in routing.committee:
            # Some of the demo compound's matters were transferred to its owners' committee.
            p.handler_kind, p.handler_firm_id = HandlerKind.COMMITTEE, None
        p.pk = next_id + i
        petitions.append(p)
        events += _event_rows(p)
        if p.level in (EscalationLevel.STREET, EscalationLevel.DISTRICT) and departments and rng.random() < 0.6:
            whistles += _whistle_rows(rng, p, departments, staff.get(p.street_id), now)
        if len(petitions) >= BATCH:
            made += _flush(petitions, events, whistles, use_copy)
            petitions, events, whistles = [], [], []
    made += _flush(petitions, events, whistles, use_copy)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("petitions_petition", "petitions_petitionevent", "petitions_whistle"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
                )
    return made


def _login_residencies(district):
    from communities.models import Residency

    return Residency.objects.filter(
        person__user__isnull=False, household__district=district
    ).select_related("household", "person")


def _demo_compound(district):
    from communities.demo import first_compound

    try:
        c = first_compound(district, 0)
    except IndexError:
        return None
    return (c.pk, c.street_id, c.community_id, c.management_mode) if c else None


def _petition_row(rng, district, category, compound_id, street_id, community_id, kind, firm_id, department_id,
                  outcome, level, source, created, now, reporter, i) -> Petition:
    p = Petition(
        district_id=district.pk, street_id=street_id, community_id=community_id, compound_id=compound_id,
        category_id=category.pk, description=rng.choice(DESCRIPTIONS[category.code]), source=source,
        external_ref=f"{source[:3].upper()}-{district.pk}-{i:08d}" if source in (
            Source.HOTLINE_12345, Source.LETTERS_VISITS) else "",
        reporter_id=reporter, reporter_name="" if reporter else "", anonymous=rng.random() < 0.08,
        handler_kind=kind, handler_firm_id=firm_id, handler_department_id=department_id, created_at=created,
        level=EscalationLevel.COMPOUND, status=Status.SUBMITTED,
    )
    accept, resolve = datetime.timedelta(hours=category.accept_hours), datetime.timedelta(hours=category.resolve_hours)
    p._escalated_to = []
    levels = [EscalationLevel.COMPOUND, EscalationLevel.COMMUNITY, EscalationLevel.STREET, EscalationLevel.DISTRICT]
    for lv in levels[1: levels.index(level) + 1]:
        p._escalated_to.append(lv)
    p.level = level
    p.escalations = p.missed_deadlines = len(p._escalated_to)
    late = bool(p._escalated_to)
    if outcome == Status.SUBMITTED:
        p.deadline_kind, p.deadline = DeadlineKind.ACCEPT, created + accept * (1 + len(p._escalated_to))
        return p
    if outcome == Status.TRANSFERRED:
        p.status = Status.TRANSFERRED
        p.deadline_kind, p.deadline = DeadlineKind.ACCEPT, created + accept * 2
        return p
    p.accepted_at = created + accept * rng.uniform(0.05, 1.5 if late else 0.9)
    if outcome == Status.REJECTED:
        p.status, p.rejection_reason, p.closed_at = Status.REJECTED, "不属于平台受理范围", p.accepted_at
        p.deadline = None
        return p
    if outcome in (Status.ACCEPTED, Status.IN_PROGRESS):
        p.status = outcome
        p.deadline_kind, p.deadline = DeadlineKind.RESOLVE, p.accepted_at + resolve
        return p
    if outcome == "merged":
        p.status, p.close_reason, p.closed_at, p.deadline = Status.CLOSED, CloseReason.MERGED, p.accepted_at, None
        return p
    p.replied_at = p.accepted_at + resolve * rng.uniform(0.1, 1.4 if late else 0.9)
    p.reply = "已安排人员处理完毕，请查看。"
    p.resolved_at = p.replied_at
    p.settled_level = level
    p.resolved_on_time = not late and p.resolved_at <= p.accepted_at + resolve
    if outcome == Status.REOPENED:
        p.status, p.low_ratings, p.rating = Status.REOPENED, 1, rng.choice((1, 2))
        p.replied_at, p.deadline_kind, p.deadline = None, DeadlineKind.RESOLVE, p.resolved_at + resolve
        return p
    if outcome == Status.RESOLVED:
        p.status, p.deadline_kind = Status.RESOLVED, DeadlineKind.RATE
        p.deadline = p.resolved_at + datetime.timedelta(days=7)
        return p
    p.status, p.deadline = Status.CLOSED, None
    if outcome == "not_rated":
        p.close_reason, p.closed_at = CloseReason.NOT_RATED, p.resolved_at + datetime.timedelta(days=7)
    else:
        p.rating = rng.choices((5, 4, 3), weights=(6, 3, 1))[0]
        p.close_reason, p.closed_at = CloseReason.RATED, p.resolved_at + datetime.timedelta(hours=rng.randrange(1, 90))
    for field in ("closed_at", "resolved_at", "replied_at", "accepted_at"):
        if getattr(p, field) and getattr(p, field) > now:
            setattr(p, field, now)
    return p


def _event_rows(p: Petition) -> list[PetitionEvent]:
    rows = [PetitionEvent(petition_id=p.pk, kind=EventKind.CREATED, at=p.created_at, to_status=Status.SUBMITTED,
                          to_level=EscalationLevel.COMPOUND)]
    previous = EscalationLevel.COMPOUND
    for n, lv in enumerate(p._escalated_to, start=1):
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.ESCALATED, from_level=previous, to_level=lv,
                                  at=p.created_at + datetime.timedelta(hours=24 * n)))
        previous = lv
    status = Status.SUBMITTED
    if p.status == Status.TRANSFERRED:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=Status.TRANSFERRED, at=p.created_at + datetime.timedelta(minutes=30)))
    if p.accepted_at:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=Status.ACCEPTED, at=p.accepted_at))
        status = Status.ACCEPTED
    if p.status == Status.REJECTED:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=Status.REJECTED, at=p.closed_at, note=p.rejection_reason))
    if p.status == Status.IN_PROGRESS:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=Status.IN_PROGRESS, at=p.accepted_at))
    if p.resolved_at:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.REPLY, at=p.resolved_at, note="已安排人员处理完毕"))
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=Status.RESOLVED, at=p.resolved_at))
        status = Status.RESOLVED
    if p.rating:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.RATED, rating=p.rating, at=p.closed_at or p.resolved_at))
    if p.status in (Status.CLOSED, Status.REOPENED) and status != p.status:
        rows.append(PetitionEvent(petition_id=p.pk, kind=EventKind.TRANSITION, from_status=status,
                                  to_status=p.status, at=p.closed_at or p.resolved_at))
    return rows


def _whistle_rows(rng, p, departments, blown_by, now) -> list[Whistle]:
    rows = []
    blown = p.created_at + datetime.timedelta(hours=48)
    blown = min(blown, now)
    for department_id in rng.sample(departments, k=min(len(departments), rng.choice((1, 1, 2)))):
        due = blown + datetime.timedelta(hours=48)
        answered = rng.random() < 0.7 and due < now
        rows.append(Whistle(
            petition_id=p.pk, district_id=p.district_id, department_id=department_id, blown_by_id=blown_by,
            blown_at=blown, due_at=due, acknowledged_at=blown + datetime.timedelta(hours=2) if answered else None,
            answered_at=blown + datetime.timedelta(hours=rng.randrange(3, 70)) if answered else None,
            answer="已到场处置" if answered else "", is_late=not answered and due < now,
        ))
    return rows


def _flush(petitions, events, whistles, use_copy) -> int:
    if not petitions:
        return 0
    if use_copy:
        _copy(Petition, petitions)
        _copy(PetitionEvent, events)
    else:
        Petition.objects.bulk_create(petitions, batch_size=BATCH)
        PetitionEvent.objects.bulk_create(events, batch_size=BATCH)
    Whistle.objects.bulk_create(whistles, batch_size=BATCH)
    return len(petitions)


def _copy(model, rows) -> None:
    """PostgreSQL COPY of model instances (every concrete column, ids included)."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and getattr(rows[0], f.attname) is None)]
    buffer = io.StringIO()
    for row in rows:
        values = []
        for f in fields:
            value = f.get_db_prep_save(getattr(row, f.attname), connection)
            if value is None:
                values.append("\\N")
            elif isinstance(value, bool):
                values.append("t" if value else "f")
            else:
                text = str(value)
                values.append(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)


# --- district scale on PostgreSQL: generated in SQL ------------------------------------------------------------
# Building a million rows in Python costs about half a millisecond each; PostgreSQL generates them in seconds.
# The same outcome weights as above; setseed() from ctx.rng keeps the demo deterministic.

_SQL_PETITIONS = """
CREATE TEMP TABLE _pc ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY c.id) AS n, c.id, c.street_id, c.community_id, f.firm_id,
       CASE WHEN c.management_mode = 'professional' AND f.firm_id IS NOT NULL THEN 'firm'
            WHEN c.management_mode IN ('professional', 'self_managed') AND EXISTS (
                SELECT 1 FROM governance_body b WHERE b.compound_id = c.id
                AND b.kind IN ('owners_committee', 'interim_committee', 'self_management')) THEN 'committee'
            ELSE 'community_office' END AS mode_handler
FROM communities_compound c
LEFT JOIN properties_contract f ON f.compound_id = c.id AND f.status = 'active'
WHERE c.district_id = %(d)s;

CREATE TEMP TABLE _cat ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id) AS n, id, name, routing, department_id, accept_hours, resolve_hours
FROM petitions_category WHERE district_id = %(d)s;

INSERT INTO petitions_petition (
    district_id, street_id, community_id, compound_id, category_id, description, source, external_ref,
    reporter_name, reporter_phone, anonymous, status, level, handler_kind, handler_firm_id, handler_department_id,
    deadline, deadline_kind, escalations, missed_deadlines, reply, replied_at, rejection_reason, low_ratings,
    rating, rating_comment, close_reason, created_at, accepted_at, resolved_at, closed_at, settled_level,
    resolved_on_time, spot)
WITH g AS (
    SELECT g, random() AS r_c, random() AS r_k, random() AS r_out, random() AS r_lvl, random() AS r_src,
           random() AS r_t, random() AS r_a, random() AS r_b, random() AS r_x
    FROM generate_series(1, %(n)s) AS g
), s AS (
    SELECT g.*, c.id AS compound_id, c.street_id, c.community_id, c.firm_id, k.id AS category_id, k.name AS cname,
           k.department_id, k.accept_hours, k.resolve_hours,
           CASE WHEN k.routing = 'department' THEN 'department' WHEN k.routing = 'community_office'
                THEN 'community_office' ELSE c.mode_handler END AS hk,
           CASE WHEN r_out < .52 THEN 'closed' WHEN r_out < .60 THEN 'not_rated' WHEN r_out < .62 THEN 'merged'
                WHEN r_out < .66 THEN 'rejected' WHEN r_out < .73 THEN 'resolved' WHEN r_out < .80 THEN 'in_progress'
                WHEN r_out < .86 THEN 'accepted' WHEN r_out < .92 THEN 'submitted' WHEN r_out < .96 THEN 'transferred'
                ELSE 'reopened' END AS outcome,
           CASE WHEN r_lvl < .78 THEN 0 WHEN r_lvl < .90 THEN 1 WHEN r_lvl < .97 THEN 2 ELSE 3 END AS lvl,
           CASE WHEN r_src < .30 THEN 'portal' WHEN r_src < .55 THEN 'hotline_12345' WHEN r_src < .60
                THEN 'letters_visits' WHEN r_src < .68 THEN 'walk_in' WHEN r_src < .80 THEN 'phone'
                WHEN r_src < .92 THEN 'grid_patrol' ELSE 'consultation_bell' END AS source
    FROM g
    JOIN _pc c ON c.n = 1 + floor(g.r_c * %(ncomp)s)::int
    JOIN _cat k ON k.n = 1 + floor(g.r_k * %(ncat)s)::int
), t AS (
    SELECT s.*,
           CASE WHEN outcome IN ('submitted', 'transferred', 'accepted', 'in_progress', 'resolved', 'reopened')
                THEN %(now)s::timestamptz - interval '10 minutes' - r_t * interval '5 days'
                ELSE %(now)s::timestamptz - interval '1 hour' - r_t * interval '%(days)s days' END AS created
    FROM s
), u AS (
    SELECT t.*,
           CASE WHEN outcome NOT IN ('submitted', 'transferred') THEN created + accept_hours * interval '1 hour'
                * (0.05 + r_a * CASE WHEN lvl > 0 THEN 1.45 ELSE 0.85 END) END AS acc
    FROM t
), v AS (
    SELECT u.*,
           CASE WHEN outcome IN ('closed', 'not_rated', 'resolved', 'reopened') THEN acc + resolve_hours
                * interval '1 hour' * (0.1 + r_b * CASE WHEN lvl > 0 THEN 1.3 ELSE 0.8 END) END AS res
    FROM u
)
SELECT %(d)s, street_id, community_id, compound_id, category_id,
       cname || '：' || (ARRAY['单元门禁损坏', '楼道灯不亮', '垃圾无人清运', '消防通道被占用', '夜间噪音扰民',
                              '屋顶渗水'])[1 + g %% 6],
       source,
       CASE WHEN source IN ('hotline_12345', 'letters_visits')
            THEN upper(left(source, 3)) || '-B' || %(d)s || '-' || lpad((g + %(after)s)::text, 9, '0') ELSE '' END,
       '', '', r_x < .08,
       CASE outcome WHEN 'not_rated' THEN 'closed' WHEN 'merged' THEN 'closed' ELSE outcome END,
       (ARRAY['compound', 'community', 'street', 'district'])[lvl + 1],
       hk, CASE WHEN hk = 'firm' THEN firm_id END, CASE WHEN hk = 'department' THEN department_id END,
       CASE outcome WHEN 'submitted' THEN created + accept_hours * (1 + lvl) * interval '1 hour'
                    WHEN 'transferred' THEN created + accept_hours * 2 * interval '1 hour'
                    WHEN 'accepted' THEN acc + resolve_hours * interval '1 hour'
                    WHEN 'in_progress' THEN acc + resolve_hours * interval '1 hour'
                    WHEN 'reopened' THEN res + resolve_hours * interval '1 hour'
                    WHEN 'resolved' THEN res + interval '7 days' END,
       CASE outcome WHEN 'submitted' THEN 'accept' WHEN 'transferred' THEN 'accept' WHEN 'resolved' THEN 'rate'
                    ELSE 'resolve' END,
       lvl, lvl,
       CASE WHEN res IS NOT NULL THEN '已安排人员处理完毕，请查看。' ELSE '' END,
       CASE WHEN res IS NOT NULL AND outcome <> 'reopened' THEN LEAST(res, %(now)s::timestamptz) END,
       CASE WHEN outcome = 'rejected' THEN '不属于平台受理范围' ELSE '' END,
       CASE WHEN outcome = 'reopened' THEN 1 ELSE 0 END,
       CASE WHEN outcome = 'reopened' THEN 1 + g %% 2
            WHEN outcome = 'closed' THEN (ARRAY[5, 5, 5, 5, 5, 5, 4, 4, 4, 3])[1 + g %% 10] END,
       '',
       CASE outcome WHEN 'closed' THEN 'rated' WHEN 'not_rated' THEN 'not_rated' WHEN 'merged' THEN 'merged'
                    ELSE '' END,
       created, LEAST(acc, %(now)s::timestamptz), LEAST(res, %(now)s::timestamptz),
       CASE outcome WHEN 'closed' THEN LEAST(res + (1 + r_b * 89) * interval '1 hour', %(now)s::timestamptz)
                    WHEN 'not_rated' THEN LEAST(res + interval '7 days', %(now)s::timestamptz)
                    WHEN 'merged' THEN LEAST(acc, %(now)s::timestamptz)
                    WHEN 'rejected' THEN LEAST(acc, %(now)s::timestamptz) END,
       CASE WHEN res IS NOT NULL THEN (ARRAY['compound', 'community', 'street', 'district'])[lvl + 1] ELSE '' END,
       CASE WHEN res IS NOT NULL THEN lvl = 0 END,
       ''
FROM v;
"""

_SQL_EVENTS = """
INSERT INTO petitions_petitionevent (petition_id, kind, at, from_status, to_status, from_level, to_level, note)
SELECT id, 'created', created_at, '', 'submitted', '', 'compound', '' FROM petitions_petition
WHERE district_id = %(d)s AND id > %(after)s;

INSERT INTO petitions_petitionevent (petition_id, kind, at, from_status, to_status, from_level, to_level, note)
SELECT p.id, 'escalated', p.created_at + s * interval '24 hours', '', '',
       (ARRAY['compound', 'community', 'street', 'district'])[s], (ARRAY['compound', 'community', 'street',
       'district'])[s + 1], ''
FROM petitions_petition p, generate_series(1, p.escalations) AS s
WHERE p.district_id = %(d)s AND p.id > %(after)s AND p.escalations > 0;

INSERT INTO petitions_petitionevent (petition_id, kind, at, from_status, to_status, from_level, to_level, note, rating)
SELECT id, 'rated', COALESCE(closed_at, resolved_at), '', '', '', '', '', rating FROM petitions_petition
WHERE district_id = %(d)s AND id > %(after)s AND rating IS NOT NULL;

INSERT INTO petitions_petitionevent (petition_id, kind, at, from_status, to_status, from_level, to_level, note)
SELECT id, 'transition', COALESCE(closed_at, resolved_at, accepted_at, created_at + interval '30 minutes'),
       CASE WHEN status IN ('closed', 'reopened') AND resolved_at IS NOT NULL THEN 'resolved'
            WHEN status IN ('accepted', 'transferred') THEN 'submitted'
            WHEN status IN ('rejected', 'closed', 'in_progress', 'resolved') THEN 'accepted' ELSE 'submitted' END,
       status, '', '', ''
FROM petitions_petition WHERE district_id = %(d)s AND id > %(after)s AND status <> 'submitted';

INSERT INTO petitions_whistle (petition_id, district_id, department_id, blown_by_id, blown_at, due_at, note,
                               acknowledged_at, answered_at, answer, is_late)
SELECT id, district_id, (%(departments)s::int[])[1 + id %% %(ndept)s], NULL, b, b + interval '48 hours', '',
       CASE WHEN id %% 10 < 4 AND b + interval '48 hours' < %(now)s::timestamptz THEN b + interval '2 hours' END,
       CASE WHEN id %% 10 < 4 AND b + interval '48 hours' < %(now)s::timestamptz THEN b + interval '20 hours' END,
       CASE WHEN id %% 10 < 4 AND b + interval '48 hours' < %(now)s::timestamptz THEN '已到场处置' ELSE '' END,
       NOT (id %% 10 < 4) AND b + interval '48 hours' < %(now)s::timestamptz
FROM (SELECT id, district_id, LEAST(created_at + interval '48 hours', %(now)s::timestamptz) AS b
      FROM petitions_petition WHERE district_id = %(d)s AND id > %(after)s
      AND level IN ('street', 'district') AND id %% 10 < 6) AS w;

ANALYZE petitions_petition;
ANALYZE petitions_petitionevent;
"""


def seed_in_sql(ctx, district, count: int, now, days: int) -> int:
    """Bulk petitions, their main timeline events and whistles, generated by PostgreSQL."""
    from django.db import transaction

    ncomp = Compound.objects.filter(district=district).count()
    ncat = Category.objects.filter(district=district).count()
    departments = list(Department.objects.filter(district=district).order_by("pk").values_list("pk", flat=True))
    after = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    params = {"d": district.pk, "n": count, "ncomp": ncomp, "ncat": ncat, "now": now, "days": days,
              "after": after, "departments": departments, "ndept": len(departments)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [ctx.rng.random()])
        cursor.execute(_SQL_PETITIONS, params)
        cursor.execute(_SQL_EVENTS, params)
    return Petition.objects.filter(district=district, pk__gt=after).count()
