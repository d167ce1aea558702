"""Checks the reference data files (areas.json, skills.json) without Django or a database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "xiangtan_jobs" / "core" / "reference_data"

LAT_RANGE = (27.35, 28.10)
LNG_RANGE = (112.25, 113.15)

TOP_KINDS = {"district", "county", "county_city", "zone"}
CHILD_KINDS = {"street", "town", "township"}
WAGE_UNITS = {"hour", "day", "month", "piece"}

REQUIRED_TOP_LEVEL = {
    "430302": "雨湖区",
    "430304": "岳塘区",
    "430321": "湘潭县",
    "430381": "湘乡市",
    "430382": "韶山市",
}
REQUIRED_ZONES = {"湘潭经开区", "湘潭高新区", "昭山示范区"}

# Terms a seeker or operator types; each must be a skill's name or one of its aliases.
REQUIRED_TERMS = [
    "保洁",
    "家政",
    "育婴",
    "育婴员",
    "养老护理",
    "养老护理员",
    "护工",
    "陪护",
    "搬运",
    "装卸",
    "水电",
    "水电工",
    "木工",
    "泥瓦",
    "泥瓦工",
    "焊工",
    "电工",
    "叉车",
    "叉车司机",
    "配送",
    "快递",
    "外卖",
    "保安",
    "厨师",
    "服务员",
    "收银",
    "收银员",
    "客服",
    "普工",
    "司机",
    "月嫂",
    "钟点工",
    "家电维修",
    "油漆工",
    "钢筋工",
    "架子工",
    "电商运营",
    "主播",
    "会计",
    "教师",
    "家教",
    "美容",
    "美发",
    "采茶",
    "种植",
    "养殖",
    "仓管",
    "质检",
    "缝纫",
]

# Trades that legally need a certificate (特种作业/特种设备/驾驶证/保安员证/健康证).
MUST_BE_CERTIFIED = [
    "电工",
    "高压电工",
    "焊工",
    "叉车司机",
    "架子工",
    "塔吊司机",
    "行车工",
    "厨师",
    "服务员",
    "保安员",
    "小车司机",
    "货车司机",
    "网约车司机",
    "出租车司机",
    "大巴司机",
    "公交车司机",
    "危化品运输司机",
    "护士",
    "中小学教师",
]

# Mirrors the model field limits in xiangtan_jobs/core/models (areas.py, skills.py).
MAX_AREA_NAME = 32
MAX_SHORT_NAME = 16
MAX_AREA_CODE = 12
MAX_SKILL_NAME = 32
MAX_CERT_NAME = 64
MAX_CODE = 8


def _load(name: str):
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def areas() -> list[dict]:
    return _load("areas.json")


@pytest.fixture(scope="module")
def categories() -> list[dict]:
    return _load("skills.json")


@pytest.fixture(scope="module")
def skills(categories) -> list[dict]:
    return [s for c in categories for s in c["skills"]]


def _in_box(lat: float, lng: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


# ---------------------------------------------------------------- areas


def test_areas_top_level_shape(areas):
    assert len(areas) == 8
    for a in areas:
        assert set(a) == {"code", "name", "short_name", "kind", "lat", "lng", "children"}, a.get("name")
        assert a["kind"] in TOP_KINDS
        assert re.fullmatch(r"\d{6}", a["code"]), a["code"]
        assert a["code"].startswith("4303")
        assert 0 < len(a["name"]) <= MAX_AREA_NAME
        assert 0 < len(a["short_name"]) <= MAX_SHORT_NAME
        assert isinstance(a["lat"], float) and isinstance(a["lng"], float)


def test_required_top_levels_present(areas):
    by_code = {a["code"]: a for a in areas}
    for code, name in REQUIRED_TOP_LEVEL.items():
        assert code in by_code, code
        assert by_code[code]["name"] == name
    zones = {a["name"] for a in areas if a["kind"] == "zone"}
    assert zones == REQUIRED_ZONES
    assert by_code["430302"]["kind"] == "district"
    assert by_code["430304"]["kind"] == "district"
    assert by_code["430321"]["kind"] == "county"
    assert by_code["430381"]["kind"] == "county_city"
    assert by_code["430382"]["kind"] == "county_city"


def test_area_codes_unique(areas):
    codes = [a["code"] for a in areas] + [c["code"] for a in areas for c in a["children"]]
    assert len(codes) == len(set(codes))
    top_names = [a["name"] for a in areas]
    assert len(top_names) == len(set(top_names))


def test_area_children(areas):
    for a in areas:
        kids = a["children"]
        # Districts, the county and the county-level cities have 4+ streets/towns. The three zones
        # really administer only 1-3 (NBS: 高新区 板塘/双马, 昭山 昭山镇, 经开区 和平/九华/响水), so they
        # need at least one; see reference_data/README.md.
        minimum = 1 if a["kind"] == "zone" else 4
        assert len(kids) >= minimum, a["name"]
        names = [k["name"] for k in kids]
        assert len(names) == len(set(names)), a["name"]
        for k in kids:
            assert set(k) == {"code", "name", "kind", "lat", "lng"}, k.get("name")
            assert k["kind"] in CHILD_KINDS
            assert k["code"].startswith(a["code"]) and len(k["code"]) == len(a["code"]) + 3, k["code"]
            assert k["code"].isdigit() and len(k["code"]) <= MAX_AREA_CODE
            assert 0 < len(k["name"]) <= MAX_AREA_NAME
            suffix = {"street": "街道", "town": "镇", "township": "乡"}[k["kind"]]
            assert k["name"].endswith(suffix), k["name"]


def test_known_places_present(areas):
    by_name = {a["name"]: {k["name"] for k in a["children"]} for a in areas}
    assert {
        "城正街街道",
        "雨湖路街道",
        "云塘街道",
        "广场街道",
        "窑湾街道",
        "先锋街道",
        "万楼街道",
        "昭潭街道",
        "楠竹山镇",
        "姜畲镇",
        "长城乡",
        "鹤岭镇",
    } <= by_name["雨湖区"]
    assert "易俗河镇" in by_name["湘潭县"]
    assert "清溪镇" in by_name["韶山市"]
    assert "九华街道" in by_name["湘潭经开区"]
    assert "昭山镇" in by_name["昭山示范区"]


def test_area_coordinates_in_bounding_box(areas):
    for a in areas:
        assert _in_box(a["lat"], a["lng"]), a["name"]
        for k in a["children"]:
            assert isinstance(k["lat"], float) and isinstance(k["lng"], float)
            assert _in_box(k["lat"], k["lng"]), k["name"]


def test_area_centres_match_facts(areas):
    by_name = {a["name"]: a for a in areas}
    expected = {
        "湘乡市": (27.73, 112.53),
        "韶山市": (27.92, 112.53),
        "湘潭县": (27.78, 112.95),
        "湘潭经开区": (27.93, 112.88),
        "昭山示范区": (27.97, 113.03),
    }
    for name, (lat, lng) in expected.items():
        assert abs(by_name[name]["lat"] - lat) < 0.02 and abs(by_name[name]["lng"] - lng) < 0.02, name


# ---------------------------------------------------------------- skills


def test_skill_counts(categories, skills):
    assert len(categories) >= 15
    assert len(skills) >= 150
    for c in categories:
        assert c["skills"], c["name"]


def test_category_shape_and_uniqueness(categories):
    codes = [c["code"] for c in categories]
    names = [c["name"] for c in categories]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for c in categories:
        assert set(c) == {"code", "name", "skills"}
        assert re.fullmatch(r"C\d{2}", c["code"])
        assert 0 < len(c["name"]) <= 32


def test_skill_shape(skills):
    keys = {"code", "name", "aliases", "alias_of", "certificate_required", "certificate_name", "wage", "titles", "gig"}
    for s in skills:
        assert set(s) == keys, s.get("name")
        assert re.fullmatch(r"S\d{3}", s["code"]) and len(s["code"]) <= MAX_CODE
        assert 0 < len(s["name"]) <= MAX_SKILL_NAME
        assert isinstance(s["aliases"], list) and all(isinstance(x, str) and x.strip() for x in s["aliases"])
        assert isinstance(s["certificate_required"], bool)
        assert isinstance(s["certificate_name"], str) and len(s["certificate_name"]) <= MAX_CERT_NAME
        if s["certificate_required"]:
            assert s["certificate_name"], s["name"]
        assert isinstance(s["gig"], bool)
        assert 3 <= len(s["titles"]) <= 6, s["name"]
        assert all(isinstance(t, str) and t.strip() for t in s["titles"])
        assert len(s["titles"]) == len(set(s["titles"]))
        w = s["wage"]
        assert set(w) == {"unit", "min", "max"}
        assert w["unit"] in WAGE_UNITS
        assert type(w["min"]) is int and type(w["max"]) is int
        assert 0 < w["min"] <= w["max"], s["name"]


def test_skill_codes_and_names_unique(skills):
    codes = [s["code"] for s in skills]
    names = [s["name"] for s in skills]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_aliases_unique_and_not_other_names(skills):
    by_code = {s["code"]: s for s in skills}
    names = {s["name"] for s in skills}
    seen: dict[str, str] = {}
    for s in skills:
        assert len(s["aliases"]) == len(set(s["aliases"])), s["name"]
        target_name = by_code[s["alias_of"]]["name"] if s["alias_of"] else None
        for alias in s["aliases"]:
            assert alias not in seen, f"{alias!r} is an alias of both {seen[alias]} and {s['name']}"
            seen[alias] = s["name"]
            assert alias != s["name"], s["name"]
            if alias in names:
                assert alias == target_name, f"alias {alias!r} of {s['name']} is another skill's name"


def test_alias_of_integrity(skills):
    by_code = {s["code"]: s for s in skills}
    for s in skills:
        if s["alias_of"] is None:
            continue
        assert s["alias_of"] != s["code"]
        assert s["alias_of"] in by_code, s["name"]
        assert by_code[s["alias_of"]]["alias_of"] is None, s["name"]


def test_near_synonyms_point_at_canonical(skills):
    by_name = {s["name"]: s for s in skills}
    assert by_name["护工"]["alias_of"] == by_name["养老护理员"]["code"]
    assert by_name["钟点工"]["alias_of"] == by_name["保洁员"]["code"]


def test_required_terms_findable(skills):
    vocabulary = {s["name"] for s in skills} | {a for s in skills for a in s["aliases"]}
    missing = [t for t in REQUIRED_TERMS if t not in vocabulary]
    assert not missing, missing


def test_several_kinds_of_driver(skills):
    drivers = [s for s in skills if "司机" in s["name"]]
    assert len(drivers) >= 5
    certs = {s["certificate_name"] for s in drivers if s["certificate_required"]}
    assert any("C1" in c for c in certs) and any("A2" in c for c in certs)


def test_certificates_for_regulated_trades(skills):
    by_name = {s["name"]: s for s in skills}
    for name in MUST_BE_CERTIFIED:
        assert by_name[name]["certificate_required"] is True, name
    assert "健康证" in by_name["厨师"]["certificate_name"]
    assert "保安员证" in by_name["保安员"]["certificate_name"]


def test_gig_wages_match_facts(skills):
    by_name = {s["name"]: s for s in skills}
    cleaner = by_name["保洁员"]
    assert cleaner["gig"] and cleaner["wage"]["unit"] == "day"
    assert cleaner["wage"]["min"] <= 200 <= cleaner["wage"]["max"]  # 姜畲: house cleaning 200 yuan/day
    assert by_name["钟点工"]["wage"]["unit"] == "hour"
    assert by_name["普工"]["wage"]["unit"] == "month"
    assert sum(s["gig"] for s in skills) >= 40
