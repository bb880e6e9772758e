"""Demo catalogues (the three lists and the whistle list), department work requests, the campaign table after
Gongshu's 2021 one (seeds/003) and a quarterly council that has voted under the 5030 rule."""

import datetime

from django.utils import timezone

from communities.models import Community, Compound, Department
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    BuildingHead,
    CampaignTarget,
    CouncilMember,
    ListItem,
    Meeting,
    Rule,
    Vote,
    Voter,
    WorkRequest,
)
from governance.selectors import council_electorate
from governance.services import vote_close

K = Department.Kind

PARTY_BUILDING = [
    "健全社区大党委、小区党支部、楼道党小组三级组织体系",
    "推进“一小区一支部”，实现小区党组织全覆盖",
    "推动业委会、物业服务企业党组织“双覆盖”",
    "选派党建指导员进驻未建党组织的业委会和物业企业",
    "推行“一名党员一幢楼”，选优配强楼栋长",
    "组织在职党员到居住地社区报到并认领服务岗位",
    "推进社区党组织成员与业委会成员双向交叉任职",
    "落实民主协商党组织先议、重大事项党组织先审",
    "建立党员中心户，联系服务周边住户",
    "定期召开小区党组织、业委会、物业三方联席会议",
    "开展小区党组织书记和小区专员培训",
]

RESPONSIBILITY = [
    "指导业主大会成立和业委会选举、换届",
    "组织业委会候选人资格联审",
    "监督物业服务企业招投标和选聘",
    "指导签订、备案物业服务合同",
    "审核住宅专项维修资金使用申请（社区初审）",
    "监督维修资金使用工程的实施和验收",
    "监督小区公共收益收支并督促公示",
    "督促业委会财务公开和年度审计",
    "组织业委会、自管会年度评议",
    "受理和调处物业服务纠纷",
    "组织物业服务企业考评和星级评定",
    "落实红黑榜发布和约谈制度",
    "督促物业企业履行消防安全责任",
    "协调老旧小区改造和加装电梯",
    "指导无物业小区落实兜底管理",
    "做好物业项目退出和交接的监督",
    "建立小区治理档案并及时更新",
]

ACCESS = [
    ("人口信息采集核查", K.POLICE), ("出租房屋登记管理", K.POLICE), ("社区矫正人员帮教", K.COURT),
    ("人民调解和法治宣传", K.COURT), ("违法建筑巡查", K.URBAN_MANAGEMENT), ("垃圾分类督导", K.URBAN_MANAGEMENT),
    ("市容环境卫生整治", K.URBAN_MANAGEMENT), ("消防安全检查", K.FIRE), ("电动自行车充电隐患排查", K.FIRE),
    ("食品安全宣传", K.MARKET_REGULATION), ("电梯安全检查", K.MARKET_REGULATION),
    ("老旧小区改造入户征求意见", K.HOUSING), ("加装电梯协调", K.HOUSING), ("住宅维修资金政策宣传", K.HOUSING),
    ("物业服务满意度测评", K.HOUSING), ("低保和困难家庭核查", K.OTHER), ("高龄津贴资格认定", K.OTHER),
    ("残疾人服务", K.OTHER), ("退役军人服务", K.OTHER), ("就业创业服务", K.OTHER), ("医保参保登记", K.OTHER),
    ("计划生育服务", K.OTHER), ("爱国卫生运动", K.OTHER), ("征兵宣传", K.OTHER), ("防汛防台应急准备", K.OTHER),
]

WHISTLE = [
    ("小区违章搭建拆除", K.URBAN_MANAGEMENT), ("占用消防通道和消防设施损坏", K.FIRE),
    ("群租房和治安隐患", K.POLICE), ("物业企业擅自撤离", K.HOUSING), ("电梯困人和安全隐患", K.MARKET_REGULATION),
    ("维修资金使用纠纷", K.HOUSING), ("业主与物业的诉讼调解", K.COURT), ("高空抛物", K.POLICE),
    ("地下管网破损和积水", K.URBAN_MANAGEMENT), ("老旧小区改造遗留问题", K.HOUSING),
]

# The campaign table of seeds/003 (2021 Gongshu): number, task, measure, target, lead, responsible, deadline. Rows
# 12 and 13 set no figure; measured, their target is every major matter reviewed first and every whistle answered
# in time. The measures' definitions: dashboards/targets.py.
M = CampaignTarget.Measure
TARGETS = [
    (1, "成立街道三方办，落实场地、人员、经费保障，街道召开联席会议，研究讨论三方工作。", M.STREET_OFFICES_SET_UP, "1", "区委组织部",
     "各街道", (10, 15)),
    (2, "街道党工委副书记兼任三方办（物管站）主任，1名区管干部负责日常工作，2名及以上工作人员负责具体事务。",
     M.STREET_OFFICES_STAFFED, "1", "区委组织部", "各街道", (10, 15)),
    (3, "成立社区三方办，社区三方办主任一般由社区公共服务中心站长或副站长担任。", M.COMMUNITY_OFFICE_COVERAGE, "1", "区委组织部", "各街道",
     (10, 31)),
    (4, "“一小区一专员”，小区专员覆盖率100%，设立固定服务点，统一标识亮出身份。", M.COMMISSIONER_COVERAGE, "1",
     "区三方办", "区民政局、各街道", (10, 31)),
    (5, "“一小区一支部”，小区党组织覆盖率100%。", M.PARTY_ORGANIZATION_COVERAGE, "1", "区三方办", "各街道", (10, 31)),
    (6, "全面推广“一名党员一幢楼”，建立楼栋长制度的小区不低于60%。", M.BUILDING_HEAD_COVERAGE, "0.6", "区委组织部",
     "各街道", (11, 30)),
    (7, "摸排小区党员人数形成清单，发动在职党员到所居住小区报到，报到率达到95%。", M.MEMBER_REPORTING_RATE, "0.95",
     "区委组织部", "区委直属机关工委、各街道", (12, 31)),
    (8, "业委会（物管委）应建尽建，覆盖率80%。", M.OWNERS_COMMITTEE_COVERAGE, "0.8", "区三方办、区住建局", "各街道",
     (12, 31)),
    (9, "小区专业物业服务覆盖率100%。", M.PROFESSIONAL_COVERAGE, "1", "区三方办、区住建局", "各街道", (12, 31)),
    (10, "全年省网络平台物业信访总量下降30%。", M.COMPLAINT_REDUCTION, "0.3", "区三方办、区住建局", "各街道", (12, 31)),
    (11, "扩大物业经营性收支信息公示覆盖面，经营性收支上线不低于80%。", M.STATEMENTS_PUBLISHED, "0.8", "区三方办、区住建局", "各街道",
     (12, 31)),
    (12, "每个社区都有一套完整的协商机制和常态化运行规则，落实民主协商党组织先议、重大事项党组织先审。",
     M.PARTY_FIRST_REVIEW, "1",
     "各街道", "各社区", (12, 31)),
    (13, "制定“吹哨报到”事项清单，建立“部门报到”履职评价机制，办理情况纳入综合考评。", M.WHISTLES_ANSWERED, "1",
     "区委组织部",
     "各部门、各街道", (12, 31)),
    (14, "开发“红色三方智治在线”系统，电子投票使用率不低于50%。", M.ELECTRONIC_BALLOT_SHARE, "0.5",
     "区三方办、区住建局、区数据资源局、区民政局", "各街道", (12, 31)),
    (15, "开展街道社区三方办人员、小区专员、业委会主任、物业经理上岗培训。", M.ONBOARDING_TRAINING, "1", "区三方办、区住建局", "各街道",
     (11, 30)),
    (16, "培育评选微治理示范小区和“老娘舅”式小区专员各不少于20个、美好家园18个。", M.DEMONSTRATION_COMPOUNDS, "20", "区三方办、区住建局",
     "各街道", (12, 31)),
    (17, "常态化开展执法进社区工作，整治和规范小区秩序，提升小区环境。", M.ENFORCEMENT_IN_COMMUNITIES, "1",
     "区公安分局、综合行政执法局、消防大队、市场监督管理局、交警大队", "各街道", (12, 31)),
    (18, "摸排需求清单、资源清单，双向匹配形成共建方案，落实“民呼我为”“志愿服务”项目。", M.CO_BUILDING_PROJECTS, "1", "区委组织部",
     "各街道", (12, 31)),
    (19, "推进民生微实事项目，落实小区微治理专项资金。", M.MICRO_PROJECTS_FUNDED, "1", "区三方办", "各街道", (12, 31)),
    (20, "落实社区党组织服务群众专项经费。", M.SERVICE_FUNDS_GRANTED, "1", "区委组织部", "各街道", (12, 31)),
    (21, "提升改造“城管驿站”，打造4个离退休干部“全楼驿站”。", M.POST_STATIONS, "4", "区委组织部",
     "区综合行政执法局、区委老干部局", (11, 30)),
    (22, "建立政府购买社会服务名录库，每个社区不少于18个社会组织。", M.SOCIAL_ORGANIZATIONS, "1", "区民政局", "各街道", (12, 31)),
    # Row 8 of the table sets a second figure; it is kept as its own row so that it can be measured.
    (23, "新组建（换届）业委会中的党员比例原则上不低于50%（第8项）。", M.COMMITTEE_PARTY_MEMBER_SHARE, "0.5",
     "区三方办、区住建局", "各街道", (12, 31)),
    # Row 16 sets three numbers; the second and third are kept as their own rows so that each can be measured.
    (24, "培育评选“老娘舅”式小区专员不少于20个（第16项）。", M.MODEL_COMMISSIONERS, "20", "区三方办、区住建局", "各街道",
     (12, 31)),
    (25, "培育评选美好家园18个（第16项）。", M.BEAUTIFUL_HOMES, "18", "区三方办、区住建局", "各街道", (12, 31)),
]


def seed_catalogues(ctx, district) -> None:
    rows = [ListItem(district=district, kind=ListItem.Kind.PARTY_BUILDING, number=i, title=t)
            for i, t in enumerate(PARTY_BUILDING, 1)]
    rows += [ListItem(district=district, kind=ListItem.Kind.RESPONSIBILITY, number=i, title=t)
             for i, t in enumerate(RESPONSIBILITY, 1)]
    rows += [ListItem(district=district, kind=ListItem.Kind.ACCESS, number=i, title=t, department_kind=k)
             for i, (t, k) in enumerate(ACCESS, 1)]
    rows += [ListItem(district=district, kind=ListItem.Kind.WHISTLE, number=i, title=t, department_kind=k)
             for i, (t, k) in enumerate(WHISTLE, 1)]
    items = ListItem.objects.bulk_create(rows)
    year = timezone.localdate().year
    CampaignTarget.objects.bulk_create([
        CampaignTarget(district=district, number=n, task=task, measure=measure, target_value=value,
                       starts_on=datetime.date(year - 3, 1, 1) if measure == M.COMMITTEE_PARTY_MEMBER_SHARE else None,
                       lead_units=lead, responsible_units=resp, deadline=datetime.date(year, *md))
        for n, task, measure, value, lead, resp, md in TARGETS
    ])
    # Work requests: some on the access list, one waiting for the street, one approved, one refused.
    access = {i.department_kind: i for i in items if i.kind == ListItem.Kind.ACCESS}
    departments = list(Department.objects.filter(district=district).order_by("pk"))
    communities = list(Community.objects.filter(district=district).order_by("pk"))
    requests, now = [], timezone.now()
    for k, department in enumerate(departments):
        community = communities[k % len(communities)]
        item = access.get(department.kind)
        if item is not None:
            requests.append(WorkRequest(district=district, street_id=community.street_id, community=community,
                                        department=department, list_item=item, title=item.title,
                                        status=WorkRequest.Status.ALLOWED))
        status = (WorkRequest.Status.PENDING, WorkRequest.Status.APPROVED, WorkRequest.Status.REFUSED)[k % 3]
        requests.append(WorkRequest(
            district=district, street_id=community.street_id, community=community, department=department,
            title=f"{department.name}进社区开展专项统计调查", status=status,
            decided_at=None if status == WorkRequest.Status.PENDING else now,
            decision_note="不在准入清单内，由部门自行采集" if status == WorkRequest.Status.REFUSED else "",
        ))
    WorkRequest.objects.bulk_create(requests)
    ctx.say(f"  {district.name}: {len(items)} list items, {len(TARGETS)} campaign targets, "
            f"{len(requests)} work requests")


def seed_council(ctx, district) -> None:
    """A quarterly council in the first compound with a committee: its members voted under the 5030 rule."""
    body = Body.objects.filter(district=district, kind=Body.Kind.OWNERS_COMMITTEE).order_by("pk").first()
    if body is None:
        return
    compound = Compound.objects.get(pk=body.compound_id)
    held = timezone.now() - datetime.timedelta(days=45)
    meeting = Meeting.objects.create(compound=compound, kind=Meeting.Kind.QUARTERLY_COUNCIL,
                                     title=f"{compound.name}季度议事会", held_at=held,
                                     attendees="党支部、业委会、监事会、楼栋长、物业代表、党员和居民代表")
    members = [CouncilMember(meeting=meeting, person_id=m.person_id, capacity=CouncilMember.Capacity.OWNERS_COMMITTEE)
               for m in BodyMember.objects.filter(body=body)]
    seen = {m.person_id for m in members}
    for head in BuildingHead.objects.filter(compound=compound).order_by("pk")[:6]:
        if head.person_id not in seen:
            seen.add(head.person_id)
            members.append(CouncilMember(meeting=meeting, person_id=head.person_id,
                                         capacity=CouncilMember.Capacity.BUILDING_HEAD))
    CouncilMember.objects.bulk_create(members)
    item = AgendaItem.objects.create(meeting=meeting, title="小区停车收费标准调整", is_major=True,
                                     pre_reviewed_at=held, pre_review_note="党组织先议，同意提交议事会表决")
    vote = Vote.objects.create(item=item, rule=Rule.RULE_5030, is_council=True, opened_at=held,
                               deadline=held + datetime.timedelta(hours=2))
    voters = council_electorate(meeting.pk)
    for voter in voters:
        voter.vote = vote
    voters = Voter.objects.bulk_create(voters)
    rng = ctx.rng
    Ballot.objects.bulk_create([
        Ballot(vote=vote, voter=v, cast_at=held, channel=Ballot.Channel.PAPER,
               choice=rng.choices(list(Ballot.Choice.values), weights=[70, 15, 15])[0])
        for v in voters
    ])
    vote_close(actor=None, vote=vote, now=vote.deadline)
