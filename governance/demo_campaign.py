"""Demo street offices and campaign records (after the logins: the trainees are the demo's post holders), so that
every campaign row shows progress, some reached and some not: the first street's office is set up, staffed and
meets, the second's lacks a deputy secretary and has not met; most post holders are trained; enforcement,
projects and funds reached most communities; one community has its 18 social organizations; four stations;
fewer honours than the table asks."""

import datetime
from decimal import Decimal

from django.utils import timezone

from communities.models import Community, Compound, Role, RoleAssignment, Street
from governance.models import CampaignRecord, StreetOffice, StreetOfficeStaff

K = CampaignRecord.Kind
Post = StreetOfficeStaff.Post


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    """A day this year, `days_ago` before today at most (never before 1 January)."""
    return max(today.replace(month=1, day=1), today - datetime.timedelta(days=days_ago))


class _Recorder:
    """Adds a record placed from what the seeder knows (the model's derive_ancestors would ask for each row)."""

    def __init__(self, district, street_of, records):
        self.district, self.street_of, self.records = district, street_of, records

    def __call__(self, **fields):
        if fields.get("compound") is not None:
            fields["community_id"] = fields["compound"].community_id
        if fields.get("community") is not None:
            fields["community_id"] = fields.pop("community").pk
        if fields.get("community_id"):
            fields["street_id"] = self.street_of[fields["community_id"]]
        if fields.get("street") is not None:
            fields["street_id"] = fields.pop("street").pk
        self.records.append(CampaignRecord(district=self.district, **fields))


def seed(ctx) -> None:
    today = timezone.localdate()
    for district in ctx.districts:
        streets = list(Street.objects.filter(district=district).order_by("pk"))
        communities = list(Community.objects.filter(district=district).order_by("pk"))
        compounds = list(Compound.objects.filter(district=district).order_by("pk"))
        street_of = {c.pk: c.street_id for c in communities}
        staff, records = [], []

        record = _Recorder(district, street_of, records)
        for i, street in enumerate(streets):
            complete = i % 2 == 0
            office = StreetOffice.objects.create(
                district=district, street=street, set_up_on=_day(today, 300 - i),
                venue=f"{street.name}党群服务中心三楼" if complete or i % 4 == 1 else "",
                yearly_funding=Decimal("300000.00") if complete else Decimal("80000.00"))
            staff.append(StreetOfficeStaff(office=office, name=f"{street.name}副书记", post=Post.DIRECTOR,
                                           is_deputy_secretary=complete))
            if complete:
                staff.append(StreetOfficeStaff(office=office, name=f"{street.name}区管干部", post=Post.CADRE))
            for k in range(2 if complete else 1):
                staff.append(StreetOfficeStaff(office=office, name=f"{street.name}工作人员{k + 1}", post=Post.STAFF))
            if complete:
                record(street=street, kind=K.JOINT_MEETING, on=_day(today, 60 + i),
                                              title="街道三方联席会议：研究老旧小区物业服务提升")
        for office_staff in staff:
            office_staff.district_id, office_staff.street_id = district.pk, office_staff.office.street_id
        StreetOfficeStaff.objects.bulk_create(staff)

        for i, community in enumerate(communities):
            if i % 3 != 2:
                record(community=community, kind=K.ENFORCEMENT, on=_day(today, 40 + i),
                                              title="执法进社区：整治违规停车和占道经营")
            if i % 2 == 0:
                record(community=community, kind=K.CO_BUILDING_PROJECT, on=_day(today, 90 + i),
                                              title="“民呼我为”共建项目：加装电梯需求与共建单位资源对接")
            record(community=community, kind=K.MICRO_PROJECT, on=_day(today, 120 + i),
                                          title="民生微实事：小区充电车棚改造", amount=Decimal("50000.00"))
            if i != len(communities) - 1:
                record(community=community, kind=K.SERVICE_FUND, on=_day(today, 200),
                                              title="社区党组织服务群众专项经费", amount=Decimal("200000.00"))
            for k in range(18 if i == 0 else 6 + i):
                record(community=community, kind=K.SOCIAL_ORGANIZATION, on=_day(today, 250),
                                              title=f"{community.name}社会组织{k + 1}号")
        for i, compound in enumerate(compounds[:12]):
            kind = K.DEMONSTRATION_COMPOUND if i % 2 == 0 else K.BEAUTIFUL_HOME
            record(compound=compound, kind=kind, on=_day(today, 30),
                                          title=f"{compound.name}（{kind.label}）")
        for i, compound in enumerate(compounds[:4]):
            record(compound=compound, kind=K.STATION, on=_day(today, 100 + i),
                                          title=f"{compound.name}离退休干部全楼驿站")
        holders = list(RoleAssignment.objects.filter(district=district, role__in=(
            Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMISSIONER, Role.COMMITTEE_MEMBER)).select_related(
            "compound").order_by("pk"))
        for i, holder in enumerate(holders):
            if i == 1:  # the second street's office has not been to its training yet
                continue
            place = {"community_id": holder.community_id or (holder.compound.community_id if holder.compound_id
                                                             else None)}
            if place["community_id"] is None:
                place = {"street_id": holder.street_id}
            record(kind=K.TRAINING, person_id=holder.user_id, on=_day(today, 150),
                                          title="三方协同治理上岗培训（第一期）", **place)
            if holder.role == Role.COMMISSIONER:
                record(kind=K.MODEL_COMMISSIONER, person_id=holder.user_id,
                                              on=_day(today, 20), title="“老娘舅”式小区专员", **place)
        CampaignRecord.objects.bulk_create(records, batch_size=5000)
        ctx.say(f"  {district.name}: {len(streets)} street offices, {len(records)} campaign records")
