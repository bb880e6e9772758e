"""Demo firms and contracts: every professional compound is served by a firm under an active contract."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

from communities import names
from communities.models import Compound, CompoundGroupObjectPermission, ManagementMode
from communities.scope import COMPOUND_PERMISSION
from properties.credit_code import check_character
from properties.models import Contract, Firm, MenuGroup, ServiceMenuItem

FIRMS_PER_SCALE = {"small": 4, "district": 185}
SUFFIXES = ["物业服务有限公司", "物业管理有限公司", "物业有限公司"]


def seed(ctx) -> None:
    permission = Permission.objects.get(codename=COMPOUND_PERMISSION, content_type__app_label="communities")
    year = ctx.today.year
    for index, district in enumerate(ctx.districts):
        # The register's details draw from their own generator: the demo's other draws stay as they were.
        extra = random.Random(district.pk)
        count = FIRMS_PER_SCALE[ctx.scale] if index == 0 else 4
        firm_names = names.unique_names(ctx.rng, names.FIRM_STEMS, SUFFIXES, count)
        groups = Group.objects.bulk_create([Group(name=f"firm:{district.pk}:{n}") for n in firm_names])
        firms = Firm.objects.bulk_create([
            Firm(district=district, name=n, group=g, service_phone=f"0574-8{ctx.rng.randrange(1000000, 9999999)}",
                 credit_code=_credit_code(
                     f"91{330200 + district.pk % 100:06d}MA{i:03d}{ctx.rng.randrange(1000, 10000)}"),
                 qualification=extra.choice(list(Firm.Qualification.values)),
                 registered_address=f"{district.name}{extra.randrange(1, 300)}号",
                 party_member_staff=extra.randrange(0, 12), is_fallback=i < 1)
            for i, (n, g) in enumerate(zip(firm_names, groups, strict=True))
        ])
        ServiceMenuItem.objects.bulk_create([
            ServiceMenuItem(district=district, firm=firm, group=group, title=title, standard=standard,
                            price=price, response_hours=hours)
            for firm in firms for group, title, standard, price, hours in MENU
        ], batch_size=5000)
        compounds = list(
            Compound.objects.filter(district=district, management_mode=ManagementMode.PROFESSIONAL).order_by("pk")
        )
        contracts, grants = [], []
        for i, compound in enumerate(compounds):
            firm = firms[i % len(firms)] if i < len(firms) else ctx.rng.choice(firms)
            start = contract_start(ctx.rng, year)
            contracts.append(Contract(
                district=district, firm=firm, compound=compound, starts_on=start,
                service_grade=str(extra.randrange(1, 6)),
                ends_on=start.replace(year=start.year + 3), status=Contract.Status.ACTIVE,
                # 1.20 to 2.25 yuan per m² a month, from the position (the random source is left as it was).
                fee_standard=Decimal("1.20") + Decimal(i % 8) * Decimal("0.15"),
            ))
            grants.append(CompoundGroupObjectPermission(
                group_id=firm.group_id, permission=permission, content_object=compound,
            ))
        Contract.objects.bulk_create(contracts, batch_size=5000)
        CompoundGroupObjectPermission.objects.bulk_create(grants, batch_size=5000)
        ctx.say(f"  {district.name}: {len(firms)} firms, {len(contracts)} active contracts")


def contract_start(rng: random.Random, year: int) -> datetime.date:
    """A demo contract's first day, the first of a month six to two years before `year` (the year the demo is
    seeded in: 2020 to 2024 when seeded in 2026), so that its three-year term ends in the years around today
    whenever the demo is seeded; fixed years left the later demos without a contract serving the last quarters."""
    return datetime.date(year - 6 + rng.randrange(5), rng.randrange(1, 13), 1)


def _credit_code(first17: str) -> str:
    return first17 + check_character(first17)


MENU = [
    (MenuGroup.DAILY_LIFE, "上门维修", "水电小修 2 小时内上门", None, 2),
    (MenuGroup.DAILY_LIFE, "家政保洁", "按次服务，明码标价", "80.00", 24),
    (MenuGroup.CULTURE_SPORTS, "邻里节活动", "每季度至少一次", None, 72),
    (MenuGroup.CARE, "独居老人探访", "每周电话或上门一次", None, 24),
    (MenuGroup.CARE, "四点半课堂", "工作日放学后看护", None, 24),
    (MenuGroup.LEGAL, "法律咨询", "每月律师驻点一次", None, 72),
]
