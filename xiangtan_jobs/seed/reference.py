"""Xiangtan's reference data: areas, the skill taxonomy, the named service points and the
2025 春风行动 fairs, exactly as 湘潭市人力资源和社会保障局 announced them.

Every loader is idempotent: rows are keyed by a natural key and updated in place, so a second
load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from fairs.models import FairSession, JobFair
from markets.enums import MarketFocus
from markets.models import GigMarket
from xiangtan_jobs.core.enums import ServiceKind, ServicePointKind
from xiangtan_jobs.core.models import Area, ServicePoint, Skill, SkillCategory

DATA_DIR = Path(__file__).resolve().parent.parent / "core" / "reference_data"
BUREAU = "湘潭市人力资源和社会保障局"
BUREAU_PHONE = "0731-58533441"
SPRING_SERIES = "2025年春风行动"

# The three kinds of service the management measures give a gig market.
GIG_MARKET_SERVICES = [
    ServiceKind.REGISTRATION.value,
    ServiceKind.CONSULTATION.value,
    ServiceKind.ENTREPRENEURSHIP.value,
    ServiceKind.TRAINING.value,
    ServiceKind.RIGHTS.value,
    ServiceKind.INSURANCE.value,
    ServiceKind.SETTLEMENT.value,
]


# The HR market's name as the fairs' announcement gives it (市人社局一院湘潭人才市场).
HR_MARKET = "湘潭人才市场"
HR_MARKET_SERVICES = [
    ServiceKind.REGISTRATION.value,
    ServiceKind.CONSULTATION.value,
    ServiceKind.ENTREPRENEURSHIP.value,
]


@dataclass(frozen=True)
class LoadCounts:
    areas: int
    categories: int
    skills: int
    service_points: int
    fairs: int


def _load_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _upsert(model: type[Any], key: dict[str, Any], values: dict[str, Any]) -> Any:
    """update_or_create that writes only when something differs, so reloads touch nothing."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        return model.objects.create(**key, **values)
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    if changed:
        for f in changed:
            setattr(obj, f, values[f])
        obj.save(update_fields=changed)
    return obj


def areas_load() -> int:
    """Districts, county-level cities and zones with their streets and towns."""
    count = 0
    for top in _load_json("areas.json"):
        parent = _upsert(
            Area,
            {"code": top["code"]},
            {
                "name": top["name"],
                "short_name": top.get("short_name", ""),
                "kind": top["kind"],
                "parent": None,
                "lat": top["lat"],
                "lng": top["lng"],
            },
        )
        count += 1
        for child in top["children"]:
            _upsert(
                Area,
                {"code": child["code"]},
                {
                    "name": child["name"],
                    "short_name": "",
                    "kind": child["kind"],
                    "parent": parent,
                    "lat": child["lat"],
                    "lng": child["lng"],
                },
            )
            count += 1
    return count


def skills_load() -> tuple[int, int]:
    """The skill taxonomy: categories, skills, aliases, near-synonyms and certificate flags."""
    categories = _load_json("skills.json")
    n_skills = 0
    pending_alias: list[tuple[Skill, str]] = []
    for cat in categories:
        category = _upsert(SkillCategory, {"code": cat["code"]}, {"name": cat["name"]})
        for item in cat["skills"]:
            wage = item.get("wage") or {}
            skill = _upsert(
                Skill,
                {"code": item["code"]},
                {
                    "name": item["name"],
                    "category": category,
                    "aliases": item.get("aliases", []),
                    "certificate_required": item.get("certificate_required", False),
                    "certificate_name": item.get("certificate_name", ""),
                    "is_gig": item.get("gig", False),
                    "typical_wage_unit": wage.get("unit", ""),
                    "typical_wage_min": wage.get("min"),
                    "typical_wage_max": wage.get("max"),
                    "typical_titles": item.get("titles", []),
                },
            )
            n_skills += 1
            pending_alias.append((skill, item.get("alias_of") or ""))
    by_code = {s.code: s for s in Skill.objects.all()}
    for skill, target in pending_alias:
        target_id = by_code[target].pk if target else None
        if skill.alias_of_id != target_id:
            skill.alias_of_id = target_id
            skill.save(update_fields=["alias_of"])
    return len(categories), n_skills


def _area(name: str, parent: str | None = None) -> Area:
    qs = Area.objects.filter(name=name)
    if parent:
        qs = qs.filter(parent__name=parent)
    return qs.get()


def named_service_points_load() -> int:
    """The two gig markets and the HR market the facts name; what the facts do not say stays empty."""
    yuhu = _area("雨湖区")
    _upsert(
        GigMarket,
        {"name": "雨湖零工市场"},
        {
            "kind": ServicePointKind.GIG_MARKET,
            "area": yuhu,
            "address": "湘潭汽车站旁",
            "landmark": "湘潭汽车站",
            # Approximate: beside the city bus station.
            "lat": 27.8743,
            "lng": 112.9126,
            "focus": MarketFocus.GENERAL,
            "amenities": ["遮阳", "取暖", "饮水", "休息区"],
            "description": "岗位有人推、技能有人教、面试有人陪。在湘潭汽车站旁，"
            "过去零工们在路边等活，现在有遮阳、取暖、饮水和休息的地方。",
            "services": GIG_MARKET_SERVICES,
            "is_demo": False,
        },
    )
    yuetang = _area("岳塘区")
    _upsert(
        GigMarket,
        {"name": "岳塘区护理行业零工市场"},
        {
            "kind": ServicePointKind.GIG_MARKET,
            "area": yuetang,
            "address": "岳塘区",
            "lat": yuetang.lat,
            "lng": yuetang.lng,
            "focus": MarketFocus.NURSING,
            "operator_org": "湘潭市荆鹏家政服务有限公司",
            "opened_on": dt.date(2024, 8, 1),
            "description": "护理行业零工市场，2024年8月起由湘潭市荆鹏家政服务有限公司运营。"
            "护理零工技能是瓶颈，市场开展技能培训。",
            "services": GIG_MARKET_SERVICES,
            "is_demo": False,
        },
    )
    # The smart HR market (智慧人力资源市场) of "1+3+N": the city's talent market, where the
    # 2025 春节招聘周 was held (the fairs' venue and address; coordinates as the fair's).
    _upsert(
        ServicePoint,
        {"name": HR_MARKET},
        {
            "kind": ServicePointKind.HR_MARKET,
            "area": yuetang,
            "address": "岳塘区湘潭大道157号",
            "lat": 27.8561,
            "lng": 112.9532,
            "operator_org": BUREAU,
            "phone": BUREAU_PHONE,
            "description": "智慧人力资源市场：市人社局一院湘潭人才市场。"
            "2025年春风行动的春节招聘周（正月初十至十二）在这里连续举办三场招聘会。",
            "services": HR_MARKET_SERVICES,
            "is_demo": False,
        },
    )
    return 3


def spring_fairs_load() -> int:
    """The 2025 春风行动 fairs announced on 2025-01-10."""
    scale = "本系列活动组织100余家重点企业，提供岗位10000余个。"
    launch = _upsert(
        JobFair,
        {"title": "2025年春风行动启动仪式暨首场大型招聘会", "starts_on": dt.date(2025, 2, 6)},
        {
            "series": SPRING_SERIES,
            "organiser": BUREAU,
            "venue": "湘潭经开区创新创业大楼",
            "address": "湘潭经开区和平街道东风西路9号",
            "area": _area("湘潭经开区"),
            "lat": 27.8523,
            "lng": 112.9021,
            "contact_phone": BUREAU_PHONE,
            "ends_on": dt.date(2025, 2, 6),
            "description": "正月初九举行。" + scale,
            "is_demo": False,
        },
    )
    _upsert(FairSession, {"fair": launch, "date": dt.date(2025, 2, 6)}, {"note": "正月初九"})
    week = _upsert(
        JobFair,
        {"title": "2025年春节招聘周", "starts_on": dt.date(2025, 2, 7)},
        {
            "series": SPRING_SERIES,
            "organiser": BUREAU,
            "venue": "市人社局一院湘潭人才市场",
            "address": "岳塘区湘潭大道157号",
            "area": _area("岳塘区"),
            "lat": 27.8561,
            "lng": 112.9532,
            "contact_phone": BUREAU_PHONE,
            "ends_on": dt.date(2025, 2, 9),
            "description": "正月初十至十二，连续三天举办三场招聘会。" + scale,
            "is_demo": False,
        },
    )
    for day, lunar in ((7, "正月初十"), (8, "正月十一"), (9, "正月十二")):
        _upsert(FairSession, {"fair": week, "date": dt.date(2025, 2, day)}, {"note": lunar})
    return 2


@transaction.atomic
def reference_load() -> LoadCounts:
    """Load (or refresh) every piece of reference data in one transaction."""
    areas = areas_load()
    categories, skills = skills_load()
    sites = named_service_points_load()
    fairs = spring_fairs_load()
    return LoadCounts(areas=areas, categories=categories, skills=skills, service_points=sites, fairs=fairs)
