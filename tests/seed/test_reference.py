"""Reference data in the database: counts, the named sites and fairs, and idempotent reloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from fairs.models import FairSession, JobFair
from markets.models import GigMarket
from xiangtan_jobs.core.models import Area, ServicePoint, Skill, SkillCategory
from xiangtan_jobs.seed.reference import reference_load

pytestmark = pytest.mark.usefixtures("ref")

MODELS = (Area, Skill, SkillCategory, ServicePoint, GigMarket, JobFair, FairSession)


def snapshot() -> dict[str, list[tuple]]:
    return {m.__name__: sorted(m.objects.values_list(*[f.attname for f in m._meta.concrete_fields])) for m in MODELS}


def test_areas_cover_every_district_county_city_and_zone():
    tops = set(Area.objects.top_level().values_list("name", flat=True))
    assert tops == {"雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市", "湘潭经开区", "湘潭高新区", "昭山示范区"}
    assert Area.objects.filter(parent__isnull=False).count() >= 60
    assert Area.objects.get(name="易俗河镇").parent.name == "湘潭县"
    for area in Area.objects.all():
        assert 27.30 <= area.lat <= 28.10 and 111.90 <= area.lng <= 113.15


def test_skill_taxonomy_size_and_gig_trades():
    assert Skill.objects.count() >= 150
    assert SkillCategory.objects.count() >= 15
    names = set(Skill.objects.values_list("name", flat=True))
    aliases = {a for row in Skill.objects.values_list("aliases", flat=True) for a in row}
    for trade in ("保洁", "家政", "育婴", "养老护理", "搬运", "装卸", "水电", "木工", "泥瓦", "焊工", "电工",
                  "叉车", "配送", "保安", "厨师", "服务员", "收银", "客服", "普工"):  # fmt: skip
        assert trade in names or trade in aliases or any(trade in n for n in names), trade
    assert Skill.objects.get(name="电工").certificate_required
    carer = Skill.objects.get(name="护工")
    assert carer.alias_of.name == "养老护理员" and carer.group_id == carer.alias_of_id


def test_named_service_points_as_the_facts_give_them():
    yuhu = GigMarket.objects.get(name="雨湖零工市场")
    assert "湘潭汽车站" in yuhu.address and not yuhu.is_demo
    assert yuhu.area.name == "雨湖区"
    nursing = GigMarket.objects.get(name="岳塘区护理行业零工市场")
    assert nursing.operator_org == "湘潭市荆鹏家政服务有限公司"
    assert nursing.focus == "nursing" and nursing.opened_on == dt.date(2024, 8, 1)


def test_the_hr_market_is_a_service_point_of_its_own_kind():
    hr = ServicePoint.objects.get(name="湘潭人才市场")
    assert (hr.kind, hr.address, hr.area.name, hr.is_demo) == ("hr_market", "岳塘区湘潭大道157号", "岳塘区", False)


def test_spring_breeze_fairs_as_announced():
    launch = JobFair.objects.get(title__contains="启动仪式")
    assert (launch.starts_on, launch.ends_on) == (dt.date(2025, 2, 6), dt.date(2025, 2, 6))
    assert launch.venue == "湘潭经开区创新创业大楼"
    assert launch.address == "湘潭经开区和平街道东风西路9号"
    assert launch.contact_phone == "0731-58533441"
    week = JobFair.objects.get(title__contains="春节招聘周")
    assert (week.starts_on, week.ends_on) == (dt.date(2025, 2, 7), dt.date(2025, 2, 9))
    assert week.address == "岳塘区湘潭大道157号" and week.venue == "市人社局一院湘潭人才市场"
    assert list(week.sessions.values_list("date", flat=True)) == [dt.date(2025, 2, d) for d in (7, 8, 9)]
    assert {launch.series, week.series} == {"2025年春风行动"}


def test_second_load_changes_nothing():
    before = snapshot()
    reference_load()
    call_command("load_reference", stdout=io.StringIO())
    assert snapshot() == before
