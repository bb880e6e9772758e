"""Demo firms and contracts: every professional compound is served by a firm under an active contract."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

from communities import names
from communities.models import Compound, CompoundGroupObjectPermission, ManagementMode
from communities.scope import COMPOUND_PERMISSION
from properties.models import Contract, Firm

FIRMS_PER_SCALE = {"small": 4, "district": 185}
SUFFIXES = ["物业服务有限公司", "物业管理有限公司", "物业有限公司"]


def seed(ctx) -> None:
    permission = Permission.objects.get(codename=COMPOUND_PERMISSION, content_type__app_label="communities")
    for index, district in enumerate(ctx.districts):
        count = FIRMS_PER_SCALE[ctx.scale] if index == 0 else 4
        firm_names = names.unique_names(ctx.rng, names.FIRM_STEMS, SUFFIXES, count)
        groups = Group.objects.bulk_create([Group(name=f"firm:{district.pk}:{n}") for n in firm_names])
        firms = Firm.objects.bulk_create([
            Firm(district=district, name=n, group=g, service_phone=f"0574-8{ctx.rng.randrange(1000000, 9999999)}",
                 credit_code=f"91330211MA{ctx.rng.randrange(10**7, 10**8)}")
            for n, g in zip(firm_names, groups, strict=True)
        ])
        compounds = list(
            Compound.objects.filter(district=district, management_mode=ManagementMode.PROFESSIONAL).order_by("pk")
        )
        contracts, grants = [], []
        for i, compound in enumerate(compounds):
            firm = firms[i % len(firms)] if i < len(firms) else ctx.rng.choice(firms)
            start = datetime.date(2020 + ctx.rng.randrange(5), ctx.rng.randrange(1, 13), 1)
            contracts.append(Contract(
                district=district, firm=firm, compound=compound, starts_on=start,
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
