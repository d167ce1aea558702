"""Deterministic demo data: sites, employers, postings, seekers, services and events.

The same ``seed`` and ``today`` always give the same rows. Figures follow the facts file: 10
gig markets and 12 youth stations (the ones the facts do not name are marked as demo), wages
by trade (house cleaning about 200 yuan a day), seekers across the key groups.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fairs.models import Exhibitor, FairSession, JobFair
from markets.enums import FOCUS_CATEGORIES, AssignmentSource, MarketFocus
from markets.models import DayGig, GigAssignment, GigMarket, GigPost
from markets.services import CHECKIN_NOTE
from stations.enums import ConsultationTopic, CourseFunding, ProjectStage, StationEventKind, StationHost
from stations.models import Course, CourseSession, ProjectFounder, StartupProject, StationEvent, YouthStation
from stations.services import event_sync, slot_create
from xiangtan_jobs.core.enums import (
    SCHOOL_HOURS,
    Channel,
    ConsentMethod,
    EventKind,
    KeyGroup,
    MembershipRole,
    PostingStatus,
    SeekerStatus,
    ServiceKind,
    ServicePointKind,
    Shift,
    UserRole,
    WageUnit,
    WorkType,
)
from xiangtan_jobs.core.models import (
    Area,
    Employer,
    JobPosting,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    SiteEvent,
    Skill,
    User,
)
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.models.users import seeker_username
from xiangtan_jobs.core.search import posting_search_text
from xiangtan_jobs.seed.reference import BUREAU, BUREAU_PHONE, GIG_MARKET_SERVICES

DEMO_PASSWORD = "Xiangtan2025"  # nosec B105 # noqa: S105 - documented demo password, demo accounts only
DEMO_LOGINS = {
    "seeker": ("13800000001", "求职者 王秀英"),
    "operator_market": ("yuhu_op", "雨湖零工市场 运营人员"),
    "operator_station": ("station_op", "青年驿站 运营人员"),
    "bureau": ("bureau", "市人社局 工作人员"),
    "admin": ("admin", "系统管理员"),
}
YUHU = "雨湖零工市场"
# The courses the demo stations run (skills of the reference list; missing ones are skipped).
STATION_EVENT_TITLES = ("青年就业宣讲会（演示）", "高校毕业生小型招聘会（演示）", "灵活就业岗位宣讲（演示）")
STATION_COURSE_SKILLS = ("养老护理员", "育婴员", "电工", "家政服务员", "电商运营", "主播", "面点师")
BATCH = 2000

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任"
    "姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅兰玉凤翠云辉鹏飞燕琴波斌宇浩凯健俊帆亮晶婷雪"
    "琳慧颖佳欣怡子涵梓轩宏志文海春"
)
EMPLOYER_PLACES = [
    "湘潭",
    "雨湖",
    "岳塘",
    "湘乡",
    "韶山",
    "九华",
    "昭山",
    "易俗河",
    "莲城",
    "湘江",
    "窑湾",
    "板塘",
    "河东",
    "竹埠港",
]
EMPLOYER_WORDS = [
    "宏达",
    "兴旺",
    "恒通",
    "顺发",
    "嘉和",
    "鑫源",
    "华美",
    "众诚",
    "联创",
    "新湘",
    "金盾",
    "安康",
    "福瑞",
    "荣盛",
    "天和",
    "博远",
    "康乐",
    "锦程",
    "友谊",
    "晨光",
    "佳洁",
    "美居",
    "惠民",
    "万家",
]
EMPLOYER_TRADES = [
    "家政服务",
    "物业管理",
    "建筑劳务",
    "物流",
    "餐饮管理",
    "电子科技",
    "机械制造",
    "商贸",
    "保安服务",
    "养老服务",
    "食品",
    "服饰",
    "汽车服务",
    "农业开发",
    "酒店管理",
    "装饰工程",
]
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# The ten gig markets and twelve youth stations; the first market is named by the facts, the
# second too (loaded as reference data); the rest are demo sites.
DEMO_MARKETS = [
    ("湘乡市零工市场", "湘乡市", MarketFocus.GENERAL),
    ("韶山市零工市场", "韶山市", MarketFocus.GENERAL),
    ("湘潭县易俗河零工市场", "湘潭县", MarketFocus.GENERAL),
    ("湘潭经开区零工市场", "湘潭经开区", MarketFocus.GENERAL),
    ("湘潭高新区零工市场", "湘潭高新区", MarketFocus.CONSTRUCTION),
    ("昭山示范区零工市场", "昭山示范区", MarketFocus.GENERAL),
    ("岳塘区物流配送零工市场", "岳塘区", MarketFocus.LOGISTICS),
    ("雨湖区家政零工市场", "雨湖区", MarketFocus.HOUSEKEEPING),
]
# Gig posts (零工驿站) in communities and business districts, each attached to a market: (name,
# market, host). Demo sites: the facts name the kind, not the places.
DEMO_GIG_POSTS = [
    ("车站路社区零工驿站", YUHU, "雨湖区车站路社区"),
    ("步步高商圈零工驿站", "岳塘区物流配送零工市场（演示）", "步步高广场商圈"),
    ("易俗河镇零工驿站", "湘潭县易俗河零工市场（演示）", "易俗河镇社区"),
]
DEMO_STATIONS = [
    ("湘潭大学青年驿站", "雨湖区", StationHost.CAMPUS, "湘潭大学"),
    ("湖南科技大学青年驿站", "雨湖区", StationHost.CAMPUS, "湖南科技大学"),
    ("湖南工程学院青年驿站", "岳塘区", StationHost.CAMPUS, "湖南工程学院"),
    ("湘潭理工学院青年驿站", "湘潭县", StationHost.CAMPUS, "湘潭理工学院"),
    ("步步高广场青年驿站", "岳塘区", StationHost.BUSINESS, "步步高广场商圈"),
    ("基建营商圈青年驿站", "雨湖区", StationHost.BUSINESS, "基建营商圈"),
    ("九华青年创业驿站", "湘潭经开区", StationHost.PARK, "九华创新创业园"),
    ("高新区青年驿站", "湘潭高新区", StationHost.PARK, "高新区创业中心"),
    ("湘乡市青年驿站", "湘乡市", StationHost.COMMUNITY, "湘乡市东山街道社区"),
    ("韶山市青年驿站", "韶山市", StationHost.COMMUNITY, "韶山市清溪镇社区"),
    ("易俗河青年驿站", "湘潭县", StationHost.COMMUNITY, "易俗河镇社区"),
    ("昭山青年驿站", "昭山示范区", StationHost.COMMUNITY, "昭山社区"),
]
STATION_SERVICES = [
    ServiceKind.CONSULTATION.value,
    ServiceKind.TRAINING.value,
    ServiceKind.REGISTRATION.value,
    ServiceKind.ENTREPRENEURSHIP.value,
]
# Shares of the key groups among registered seekers (a seeker may be in none or several).
GROUP_SHARES = [
    (KeyGroup.GRADUATE, 0.14),
    (KeyGroup.RURAL, 0.22),
    (KeyGroup.RETURNEE, 0.12),
    (KeyGroup.MIGRANT, 0.08),
    (KeyGroup.MOTHER, 0.16),
    (KeyGroup.OLDER, 0.18),
    (KeyGroup.DISABLED, 0.04),
]


@dataclass(frozen=True)
class DemoCounts:
    sites: int
    employers: int
    postings: int
    seekers: int
    service_records: int
    events: int
    created: bool


def credit_code_for(body17: str) -> str:
    """Append the GB 32100 check character to a 17-character body."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body17, CREDIT_WEIGHTS, strict=True))
    return body17 + CREDIT_CHARS[(31 - total % 31) % 31]


def _jitter(rng: random.Random, lat: float, lng: float, km: float) -> tuple[float, float]:
    """A point within ``km`` of (lat, lng), kept inside Xiangtan's box."""
    r = km * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    dlat = r * math.cos(theta) / 111.0
    dlng = r * math.sin(theta) / (111.0 * math.cos(math.radians(lat)))
    return round(min(max(lat + dlat, 27.36), 28.09), 6), round(min(max(lng + dlng, 112.26), 113.14), 6)


def _batched(items: list[object], size: int = BATCH) -> Iterator[list[object]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class DemoBuilder:
    """Builds the demo rows from one random generator, in a fixed order."""

    def __init__(self, *, seed: int, today: dt.date, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)  # nosec B311 - demo data, not security
        self.today = today
        self.progress = progress
        self.now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
        self.tops = list(Area.objects.filter(parent__isnull=True).order_by("code"))
        self.children: dict[int, list[Area]] = {}
        for area in Area.objects.filter(parent__isnull=False).order_by("code"):
            self.children.setdefault(area.parent_id, []).append(area)  # type: ignore[arg-type]  # parent is non-null here
        self.skills = list(Skill.objects.order_by("code"))
        self.gig_skills = [s for s in self.skills if s.is_gig] or self.skills
        self.by_category: dict[int, list[Skill]] = {}
        for s in self.skills:
            self.by_category.setdefault(s.category_id, []).append(s)

    # --- sites and accounts ------------------------------------------------------------
    def sites(self) -> list[ServicePoint]:
        tops = {a.name: a for a in self.tops}
        for name, area_name, focus in DEMO_MARKETS:
            area = tops[area_name]
            lat, lng = _jitter(self.rng, area.lat, area.lng, 3)
            street = self.rng.choice(self.children[area.pk])
            GigMarket.objects.create(
                kind=ServicePointKind.GIG_MARKET,
                name=f"{name}（演示）",
                area=street,
                lat=lat,
                lng=lng,
                address=f"{area.name}{street.name}",
                hours="周一至周六 7:00-18:00",
                phone=BUREAU_PHONE,
                operator_org="演示运营主体",
                focus=focus,
                amenities=["遮阳", "饮水", "休息区"],
                services=GIG_MARKET_SERVICES,
                is_demo=True,
                description="演示站点：用于展示平台功能，并非真实服务点。",
            )
        for name, area_name, host, host_name in DEMO_STATIONS:
            area = tops[area_name]
            lat, lng = _jitter(self.rng, area.lat, area.lng, 3)
            street = self.rng.choice(self.children[area.pk])
            YouthStation.objects.create(
                kind=ServicePointKind.YOUTH_STATION,
                name=f"{name}（演示）",
                area=street,
                lat=lat,
                lng=lng,
                address=f"{area.name}{street.name}{host_name}",
                hours="周一至周五 9:00-17:30",
                phone=BUREAU_PHONE,
                operator_org="演示运营主体",
                host=host,
                host_name=host_name,
                services=STATION_SERVICES,
                is_demo=True,
                description="演示站点：用于展示平台功能，并非真实服务点。",
            )
        # The HR market (reference data) collects no demo postings; gig posts come after (gig_posts).
        kinds = (ServicePointKind.GIG_MARKET, ServicePointKind.YOUTH_STATION)
        return list(ServicePoint.objects.filter(kind__in=kinds).order_by("id"))

    def gig_posts(self) -> int:
        """The demo gig posts, each beside its market (within 2 km of it)."""
        for name, market_name, host_name in DEMO_GIG_POSTS:
            market = cast(GigMarket, GigMarket.objects.select_related("area").get(name=market_name))
            lat, lng = _jitter(self.rng, market.lat, market.lng, 2)
            GigPost.objects.create(
                kind=ServicePointKind.GIG_POST,
                name=f"{name}（演示）",
                market=market,
                host_name=host_name,
                area=market.area,
                lat=lat,
                lng=lng,
                address=host_name,
                hours="周一至周六 7:00-12:00",
                phone=market.phone,
                operator_org=market.operator_org or "演示运营主体",
                services=[ServiceKind.REGISTRATION.value, ServiceKind.CONSULTATION.value],
                is_demo=True,
                description="演示站点：用于展示平台功能，并非真实服务点。",
            )
        return len(DEMO_GIG_POSTS)

    def accounts(self, sites: list[ServicePoint]) -> User:
        """The demo logins; returns the demo seeker's account."""
        password = make_password(DEMO_PASSWORD)
        seeker: User | None = None
        yuhu = next(s for s in sites if s.name == YUHU)
        station = next(s for s in sites if s.kind == ServicePointKind.YOUTH_STATION)
        rows = [
            (DEMO_LOGINS["seeker"], UserRole.SEEKER, False, None),
            (DEMO_LOGINS["operator_market"], UserRole.OPERATOR, True, yuhu),
            (DEMO_LOGINS["operator_station"], UserRole.OPERATOR, True, station),
            (DEMO_LOGINS["bureau"], UserRole.BUREAU, True, None),
        ]
        for (login, display), role, staff, site in rows:
            # The seeker logs in with the phone, which is never a username (core/auth_backends.py).
            username = seeker_username() if role == UserRole.SEEKER else login
            user = User.objects.create(
                username=username, display_name=display, role=role, is_staff=staff, password=password
            )
            if role == UserRole.SEEKER:
                seeker = user
            if site is not None:
                OperatorMembership.objects.create(user=user, service_point=site, role=MembershipRole.OPERATOR)
        User.objects.create(
            username="admin",
            display_name="系统管理员",
            role=UserRole.BUREAU,
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        assert seeker is not None
        return seeker

    # --- employers and postings ------------------------------------------------------------
    def employers(self, sites: list[ServicePoint], n: int) -> list[Employer]:
        rows, names = [], set()
        for i in range(n):
            while True:
                name = (
                    f"湘潭{self.rng.choice(EMPLOYER_PLACES)}{self.rng.choice(EMPLOYER_WORDS)}"
                    f"{self.rng.choice(EMPLOYER_TRADES)}有限公司"
                )
                if name not in names:
                    break
                name = name.replace("有限公司", f"{i}号店")
                if name not in names:
                    break
            names.add(name)
            body = f"91430300{self.rng.choice('MA')}{i:08d}"
            site = self.rng.choice(sites)
            verified = self.rng.random() < 0.9
            rows.append(
                Employer(
                    name=name,
                    credit_code=credit_code_for(body),
                    contact_name=self.rng.choice(SURNAMES) + "经理",
                    contact_phone=f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}",
                    area=site.area,
                    service_point=site,
                    verified=verified,
                    verified_at=self.now if verified else None,
                    is_demo=True,
                )
            )
        Employer.objects.bulk_create(rows, batch_size=BATCH)
        return list(Employer.objects.filter(is_demo=True).order_by("id"))

    def _wage(self, skill: Skill) -> tuple[Decimal, Decimal, str]:
        unit = skill.typical_wage_unit or WageUnit.MONTH
        lo = skill.typical_wage_min or 3000
        hi = max(skill.typical_wage_max or lo, lo)
        if unit == WageUnit.PIECE and hi < 10:
            # Small piece rates (手工活 1–5 元/件) in jiao: 0.5 元/件 is a real rate, 0 元/件 is not.
            a10 = self.rng.randint(max(lo * 5, 1), hi * 10)
            b10 = self.rng.randint(a10, hi * 10)
            return Decimal(a10) / 10, Decimal(b10) / 10, unit
        a = self.rng.randint(lo, hi)
        b = self.rng.randint(a, hi)
        step = 1 if unit == WageUnit.HOUR else (10 if unit in (WageUnit.DAY, WageUnit.PIECE) else 100)
        a, b = (a // step) * step, (b // step) * step
        return Decimal(a), Decimal(max(a, b)), unit

    def postings(self, sites: list[ServicePoint], employers: list[Employer], n: int) -> None:
        areas_by_site = {s.pk: s.area for s in sites}
        postings: list[JobPosting] = []
        skill_rows: list[tuple[int, Skill, bool, int]] = []
        statuses = [
            (PostingStatus.PUBLISHED, 0.84),
            (PostingStatus.FILLED, 0.05),
            (PostingStatus.CLOSED, 0.03),
            (PostingStatus.EXPIRED, 0.05),
            (PostingStatus.DRAFT, 0.02),
            (PostingStatus.PENDING_REVIEW, 0.01),
        ]
        for i in range(n):
            site = self.rng.choice(sites)
            employer = self.rng.choice(employers)
            skill = self.rng.choice(self.gig_skills if self.rng.random() < 0.7 else self.skills)
            wage_min, wage_max, unit = self._wage(skill)
            site_area = areas_by_site[site.pk]
            top = site_area.parent or site_area
            area = (
                self.rng.choice(self.children[top.pk])
                if self.rng.random() < 0.8
                else self.rng.choice(self.children[self.rng.choice(self.tops).pk])
            )
            district = area.parent or area
            lat, lng = _jitter(self.rng, area.lat, area.lng, 2.5)
            if unit in (WageUnit.DAY, WageUnit.HOUR) and skill.is_gig:
                work_type = WorkType.DAY if self.rng.random() < 0.7 else WorkType.PART
            else:
                work_type = WorkType.FULL if self.rng.random() < 0.8 else WorkType.PART
            roll, status = self.rng.random(), PostingStatus.PUBLISHED
            for st, share in statuses:
                if roll < share:
                    status = st
                    break
                roll -= share
            age = self.rng.randint(0, 120) if status != PostingStatus.PUBLISHED else self.rng.randint(0, 60)
            published = status not in (PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW)
            published_at = self.now - dt.timedelta(days=age, minutes=self.rng.randrange(600)) if published else None
            expires_on = self.today + dt.timedelta(days=self.rng.randint(5, 60))
            if status == PostingStatus.EXPIRED:
                expires_on = self.today - dt.timedelta(days=self.rng.randint(1, 30))
            shifts: list[str] = []
            r = self.rng.random()
            if r < 0.35:
                shifts = list(SCHOOL_HOURS)
            elif r < 0.45:
                shifts = [Shift.NIGHT.value]
            elif r < 0.55:
                shifts = [Shift.WEEKEND.value]
            elif r < 0.65:
                shifts = [Shift.WEEKDAY_EVENING.value]
            title = self.rng.choice(skill.typical_titles) if skill.typical_titles else skill.name
            related = [s for s in self.by_category[skill.category_id] if s.pk != skill.pk]
            extra = self.rng.sample(related, k=min(len(related), self.rng.choice((0, 0, 1, 2))))
            posting = JobPosting(
                employer=employer,
                service_point=site,
                channel=Channel.GIG_MARKET if site.kind == ServicePointKind.GIG_MARKET else Channel.YOUTH_STATION,
                title=title,
                description=f"{employer.name}招聘{title}，{skill.name}经验优先，工作地点{district.name}{area.name}。",
                area=area,
                district=district,
                address=f"{district.name}{area.name}",
                lat=lat,
                lng=lng,
                work_type=work_type,
                wage_min=wage_min,
                wage_max=wage_max,
                wage_unit=unit,
                wage_daily=daily_equivalent(wage_max, unit),
                headcount=self.rng.choice((1, 1, 1, 2, 2, 3, 5, 10, 20)),
                shifts=[str(s) for s in shifts],
                schedule_note="上学时间段，方便接送孩子" if shifts == list(SCHOOL_HOURS) else "",
                older_ok=self.rng.random() < 0.3,
                disability_ok=self.rng.random() < 0.08,
                mother_flexible=shifts == list(SCHOOL_HOURS) or self.rng.random() < 0.1,
                contact_name=employer.contact_name,
                contact_phone=employer.contact_phone,
                status=status,
                published_at=published_at,
                expires_on=expires_on,
                closed_at=self.now if status in (PostingStatus.CLOSED, PostingStatus.FILLED) else None,
                search_text=posting_search_text(title=title, employer_name=employer.name, skills=[skill, *extra]),
                is_demo=True,
            )
            postings.append(posting)
            skill_rows.append((i, skill, True, self.rng.choice((1, 1, 2, 3))))
            skill_rows.extend((i, s, False, 1) for s in extra)
        created: list[JobPosting] = []
        for chunk in _batched(postings):  # type: ignore[arg-type]  # a list is the sequence it batches
            created.extend(JobPosting.objects.bulk_create(chunk))  # type: ignore[arg-type]  # chunks are tuples of the model
            self.progress(f"岗位 {len(created)}/{n}")
        ps = [PostingSkill(posting=created[i], skill=s, required=req, min_level=lvl) for i, s, req, lvl in skill_rows]
        PostingSkill.objects.bulk_create(ps, batch_size=BATCH * 2)

    # --- seekers, services, events -----------------------------------------------------
    def _groups(self) -> list[str]:
        return [g.value for g, share in GROUP_SHARES if self.rng.random() < share]

    def seekers(self, sites: list[ServicePoint], n: int, demo_user: User) -> list[SeekerRegistration]:
        phones: set[str] = {DEMO_LOGINS["seeker"][0]}
        rows: list[SeekerRegistration] = []
        skill_rows: list[tuple[int, Skill, int, int, bool]] = []
        consent_version = settings.PRIVACY_NOTICE_VERSION
        for i in range(n):
            tags = self._groups()
            if i == 0:
                phone, name, tags = DEMO_LOGINS["seeker"][0], "王秀英", [KeyGroup.MOTHER.value]
            else:
                while True:
                    phone = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"
                    if phone not in phones:
                        break
                phones.add(phone)
                name = self.rng.choice(SURNAMES) + "".join(
                    self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
                )
            if KeyGroup.OLDER in tags:
                birth_year = self.today.year - self.rng.randint(46, 62)
            elif KeyGroup.GRADUATE in tags:
                birth_year = self.today.year - self.rng.randint(21, 25)
            else:
                birth_year = self.today.year - self.rng.randint(20, 55)
            # Most people live in the city centre; the rest spread over the county towns.
            top = (
                self.tops[self.rng.randrange(len(self.tops))]
                if self.rng.random() < 0.35
                else self.rng.choice([a for a in self.tops if a.name in ("雨湖区", "岳塘区")])
            )
            area = self.rng.choice(self.children[top.pk])
            lat, lng = _jitter(self.rng, area.lat, area.lng, 2)
            if KeyGroup.MOTHER in tags:
                shifts, work_types = [str(s) for s in SCHOOL_HOURS], [WorkType.DAY.value, WorkType.PART.value]
            else:
                shifts = []
                work_types = self.rng.choice(([], [WorkType.FULL.value], [WorkType.DAY.value, WorkType.PART.value]))
            first = self.rng.choice(self.gig_skills if self.rng.random() < 0.75 else self.skills)
            mine = [first]
            for _ in range(self.rng.choice((0, 1, 1, 2))):
                pool = self.by_category[first.category_id] if self.rng.random() < 0.6 else self.skills
                cand = self.rng.choice(pool)
                if cand not in mine:
                    mine.append(cand)
            wage_min, _wage_max, unit = self._wage(first)
            if i == 0:
                # The demo login (a mother looking for school-hours work near home): a profile with
                # something to recommend, set after the random draws so every other row stays the same.
                named = {sk.name: sk for sk in self.skills}
                mine = [named[n] for n in ("保洁员", "家政服务员") if n in named] or mine
                unit = mine[0].typical_wage_unit or WageUnit.DAY
                wage_min = Decimal(mine[0].typical_wage_min or wage_min)
                centre = [a for a in self.tops if a.name == "雨湖区"] or [top]
                area = self.children[centre[0].pk][0]
                lat, lng = area.lat, area.lng
            site = self.rng.choice(sites) if self.rng.random() < 0.6 else None
            status = SeekerStatus.ACTIVE
            r = self.rng.random()
            if r < 0.05:
                status = SeekerStatus.PAUSED
            elif r < 0.12:
                status = SeekerStatus.EMPLOYED
            reg = SeekerRegistration(
                user=demo_user if i == 0 else None,
                name=name,
                phone=phone,
                birth_year=birth_year,
                area=area,
                home_lat=lat,
                home_lng=lng,
                travel_km=15 if i == 0 else self.rng.choice((3, 5, 5, 10, 10, 15, 20, 30)),
                work_types=work_types,
                shifts=shifts,
                expected_wage=int(wage_min),
                expected_unit=unit,
                tags=tags,
                status=SeekerStatus.ACTIVE if i == 0 else status,
                consent_version=consent_version,
                consent_at=self.now - dt.timedelta(days=self.rng.randint(0, 300)),
                consent_method=ConsentMethod.PAPER if site is not None else ConsentMethod.ONLINE,
                service_point=site,
                is_demo=True,
            )
            reg.refresh_digests()
            rows.append(reg)
            for s in mine:
                skill_rows.append(
                    (
                        i,
                        s,
                        self.rng.randint(1, 5),
                        self.rng.randint(0, 20),
                        s.certificate_required and self.rng.random() < 0.6,
                    )
                )
        created: list[SeekerRegistration] = []
        for chunk in _batched(rows):  # type: ignore[arg-type]  # a list is the sequence it batches
            created.extend(SeekerRegistration.objects.bulk_create(chunk))  # type: ignore[arg-type]  # chunks are tuples of the model
            self.progress(f"求职者 {len(created)}/{n}")
        SeekerSkill.objects.bulk_create(
            [
                SeekerSkill(registration=created[i], skill=s, level=lvl, years=yrs, has_certificate=cert)
                for i, s, lvl, yrs, cert in skill_rows
            ],
            batch_size=BATCH * 2,
        )
        return created

    def services(self, sites: list[ServicePoint], seekers: list[SeekerRegistration]) -> int:
        kinds = [k.value for k in ServiceKind]
        weights = [30, 25, 10, 8, 6, 5, 6, 10]
        rows = []
        for reg in seekers:
            site = next((s for s in sites if s.pk == reg.service_point_id), None) or self.rng.choice(sites)
            for _ in range(self.rng.choice((0, 1, 1, 1, 2))):
                rows.append(
                    ServiceRecord(
                        service_point=site,
                        seeker=reg,
                        kind=self.rng.choices(kinds, weights)[0],
                        served_at=self.now
                        - dt.timedelta(days=self.rng.randint(0, 300), minutes=self.rng.randrange(480)),
                        note="演示记录",
                        is_demo=True,
                    )
                )
        ServiceRecord.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def events(self, sites: list[ServicePoint]) -> int:
        rows = []
        for site in sites:
            for _ in range(self.rng.randint(3, 7)):
                start = self.now - dt.timedelta(days=self.rng.randint(0, 330))
                attendance = self.rng.randint(30, 400)
                rows.append(
                    SiteEvent(
                        service_point=site,
                        title=self.rng.choice(
                            (
                                "零工专场招聘会",
                                "家政护理专场",
                                "高校毕业生专场",
                                "宝妈灵活就业专场",
                                "技能培训开班",
                                "就业政策宣讲",
                            )
                        ),
                        kind=self.rng.choice(
                            (EventKind.RECRUITMENT, EventKind.RECRUITMENT, EventKind.TRAINING, EventKind.POLICY)
                        ),
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=3),
                        venue=site.address,
                        employer_count=self.rng.randint(5, 60),
                        post_count=self.rng.randint(20, 800),
                        attendance=attendance,
                        intentions=self.rng.randint(0, attendance // 3),
                        is_demo=True,
                    )
                )
        SiteEvent.objects.bulk_create(rows)
        return len(rows)

    def upcoming_fairs(self) -> None:
        tops = {a.name: a for a in self.tops}
        for offset, title, area_name, venue in (
            (9, "冬季“就业援助月”专场招聘会（演示）", "岳塘区", "市人社局一院湘潭人才市场"),
            (23, "高校毕业生及青年就业专场招聘会（演示）", "雨湖区", "湘潭大学就业指导中心"),
        ):
            area = tops[area_name]
            day = self.today + dt.timedelta(days=offset)
            fair = JobFair.objects.create(
                series="演示招聘会",
                title=title,
                organiser=BUREAU,
                venue=venue,
                address=f"{area.name}{venue}",
                area=area,
                lat=area.lat,
                lng=area.lng,
                contact_phone=BUREAU_PHONE,
                starts_on=day,
                ends_on=day,
                description="演示数据：用于展示招聘会报名功能。",
                expected_employers=60,
                expected_posts=1500,
                is_demo=True,
            )
            FairSession.objects.create(
                fair=fair, date=day, starts_at=dt.time(9, 0), ends_at=dt.time(12, 0), capacity=500
            )
            self.fair_exhibitors(fair)

    def fair_exhibitors(self, fair: JobFair) -> None:
        """A dozen demo employers at booths A01…, each with up to three of its open postings."""
        employers = list(
            Employer.objects.filter(is_demo=True, postings__status=PostingStatus.PUBLISHED).distinct().order_by("id")
        )
        for n, employer in enumerate(self.rng.sample(employers, min(12, len(employers))), start=1):
            exhibitor = Exhibitor.objects.create(fair=fair, employer=employer, booth=f"A{n:02d}")
            exhibitor.postings.set(
                JobPosting.objects.filter(employer=employer, status=PostingStatus.PUBLISHED).order_by("id")[:3]
            )

    def day_gigs(self, sites: list[ServicePoint], seekers: list[SeekerRegistration]) -> tuple[int, int]:
        """Today's and tomorrow's day gigs at every gig market (今日零工, the big screen), from
        its open day-wage postings, some places already taken; and the morning's QR check-ins.
        Dated from the seeding day, so a fresh `make run` shows real entries."""
        markets = [s for s in sites if s.kind == ServicePointKind.GIG_MARKET]
        focus = dict(GigMarket.objects.values_list("pk", "focus"))
        tomorrow = self.today + dt.timedelta(days=1)
        gigs: list[DayGig] = []
        for market in markets:
            candidates = JobPosting.objects.filter(
                service_point=market,
                work_type=WorkType.DAY,
                wage_unit=WageUnit.DAY,
                status=PostingStatus.PUBLISHED,
                expires_on__gte=tomorrow,
            )
            # An industry market puts up gigs of its trade (护理 at the nursing-care market).
            trade = FOCUS_CATEGORIES.get(focus.get(market.pk, ""))
            if trade:
                candidates = candidates.filter(posting_skills__skill__category__code__in=trade).distinct()
            postings = list(candidates.order_by("id")[:40])
            for posting in self.rng.sample(postings, min(len(postings), 8)):
                days = [self.today, tomorrow] if self.rng.random() < 0.4 else [self.rng.choice((self.today, tomorrow))]
                for day in days:
                    gigs.append(
                        DayGig(
                            market_id=market.pk,
                            posting=posting,
                            work_date=day,
                            starts_at=dt.time(self.rng.choice((6, 7, 7, 8, 8, 9, 13)), self.rng.choice((0, 30))),
                            place=posting.address,
                            headcount=self.rng.choice((2, 3, 4, 5, 6, 8, 10)),
                            day_wage=posting.wage_max,
                        )
                    )
        created = DayGig.objects.bulk_create(gigs)
        workers = [r for r in seekers if r.status == SeekerStatus.ACTIVE]
        assignments: list[GigAssignment] = []
        for gig in created:
            # Some places already taken: headcount left differs from gig to gig, a few are full.
            taken = min(gig.headcount, self.rng.choice((0, 0, 1, 2, 3, gig.headcount)))
            for seeker in self.rng.sample(workers, min(taken, len(workers))):
                assignments.append(
                    GigAssignment(
                        day_gig=gig,
                        seeker=seeker,
                        source=self.rng.choice(list(AssignmentSource.values)),
                        agreed_wage=gig.day_wage,
                    )
                )
        GigAssignment.objects.bulk_create(assignments, ignore_conflicts=True)
        kinds = [ServiceKind.CONSULTATION, ServiceKind.TRAINING, ServiceKind.RIGHTS, ServiceKind.INSURANCE]
        morning = timezone.make_aware(dt.datetime.combine(self.today, dt.time(7, 0)))
        checkins = [
            ServiceRecord(
                service_point=market,
                seeker=seeker,
                kind=self.rng.choices(kinds, [70, 10, 10, 10])[0],
                served_at=morning + dt.timedelta(minutes=self.rng.randrange(120)),
                note=CHECKIN_NOTE,
                is_demo=True,
            )
            for market in markets
            for seeker in self.rng.sample(workers, min(len(workers), self.rng.randint(5, 25)))
        ]
        ServiceRecord.objects.bulk_create(checkins, batch_size=BATCH)
        return len(created), len(checkins)

    def station_offers(self, seekers: list[SeekerRegistration]) -> int:
        """What each youth station offers in the weeks after the seeding day, so a fresh `make run`
        shows real entries: consultation times, a course with its sessions, a recruitment event
        with employers and posts, and for some a startup project in the public showcase. Made
        through the stations' own services where they have one (slots, the event's KPI row)."""
        made = 0
        founders = [r for r in seekers if r.status == SeekerStatus.ACTIVE]
        by_name = {s.name: s for s in self.skills}
        course_skills = [by_name[n] for n in STATION_COURSE_SKILLS if n in by_name] or self.skills[:3]
        made_project = False
        stations = cast(list[YouthStation], list(YouthStation.objects.filter(is_demo=True).order_by("id")))
        for station in stations:
            for offset in range(1, 4):
                day = self.today + dt.timedelta(days=offset)
                for hour, topic in ((10, ConsultationTopic.CAREER), (15, self.rng.choice(list(ConsultationTopic)))):
                    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
                    slot_create(
                        station=station,
                        topic=topic,
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=30),
                        capacity=self.rng.choice((1, 1, 2)),
                        counsellor=self.rng.choice(("张老师", "李老师", "刘老师")),
                        now=self.now,
                    )
                    made += 1
            skill = self.rng.choice(course_skills)
            starts = self.today + dt.timedelta(days=self.rng.randint(5, 20))
            course = Course.objects.create(
                service_point=station,
                title=f"{skill.name}技能培训班（演示）",
                skill=skill,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=21),
                sessions=4,
                seats=self.rng.choice((20, 25, 30)),
                place=station.address,
                funding=self.rng.choice(list(CourseFunding)),
                certificate=f"{skill.name}职业技能等级证书",
                attendance_required=3,
            )
            CourseSession.objects.bulk_create(
                CourseSession(course=course, number=n, date=starts + dt.timedelta(days=7 * (n - 1)), topic=topic)
                for n, topic in enumerate(("入门与安全", "基本操作", "实操练习", "考核"), start=1)
            )
            start = timezone.make_aware(
                dt.datetime.combine(self.today + dt.timedelta(days=self.rng.randint(4, 18)), dt.time(14, 30))
            )
            event = StationEvent.objects.create(
                station=station,
                kind=self.rng.choice(list(StationEventKind)),
                title=self.rng.choice(STATION_EVENT_TITLES),
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                place=station.address,
                description="演示数据：用于展示驿站活动报名功能。",
                capacity=self.rng.choice((0, 60, 100)),
            )
            postings = list(
                JobPosting.objects.filter(service_point=station, status=PostingStatus.PUBLISHED).order_by("id")[:6]
            )
            event.postings.set(postings)
            event.employers.set({p.employer_id for p in postings})
            event_sync(event=event)
            made += 2
            if founders and (not made_project or self.rng.random() < 0.5):
                made_project = True
                project = StartupProject.objects.create(
                    station=station,
                    name=self.rng.choice(("社区生鲜团购", "非遗湘绣文创", "校园二手书店", "家政服务小站")) + "（演示）",
                    stage=self.rng.choice(list(ProjectStage)),
                    mentor=self.rng.choice(("王导师", "陈导师")),
                    showcase=True,
                    showcase_text="演示项目：驿站提供创业指导与场地支持。",
                )
                ProjectFounder.objects.create(project=project, seeker=self.rng.choice(founders), role="负责人")
                made += 1
        return made


def demo_exists() -> bool:
    return User.objects.filter(username=DEMO_LOGINS["operator_market"][0]).exists()


@transaction.atomic
def demo_seed(
    *,
    postings: int,
    seekers: int,
    seed: int,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DemoCounts:
    """Create the demo data set once; a second call with data present changes nothing."""
    if demo_exists():
        return DemoCounts(0, 0, 0, 0, 0, 0, created=False)
    builder = DemoBuilder(seed=seed, today=today or timezone.localdate(), progress=progress)
    sites = builder.sites()
    demo_user = builder.accounts(sites)
    employers = builder.employers(sites, max(20, postings // 25))
    builder.postings(sites, employers, postings)
    regs = builder.seekers(sites, seekers, demo_user)
    n_services = builder.services(sites, regs)
    n_events = builder.events(sites)
    builder.upcoming_fairs()
    builder.day_gigs(sites, regs)
    n_posts = builder.gig_posts()  # the random draws of everything before stay as they were
    builder.station_offers(regs)
    return DemoCounts(len(sites) + n_posts, len(employers), postings, seekers, n_services, n_events, created=True)
