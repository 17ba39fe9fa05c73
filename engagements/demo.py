"""Demo data: the seed's engagement at 京都市 文化市民局 地域自治推進室 (see shared/seed).

Every step is idempotent: it looks records up by their natural key and writes only what
differs, so a second run changes nothing and writes no history.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models

from .choices import OrganisationKind, Role
from .models import Engagement, Organisation
from .services import membership_set

DEMO_PASSWORDS = {
    "city": "city-demo-pass",
    "contractor": "contractor-demo-pass",
    "admin": "admin-demo-pass",
}

WARD_OFFICES = ["北", "上京", "左京", "中京", "東山", "山科", "下京", "南", "右京", "西京", "伏見"]
BRANCHES = [("伏見", "深草支所"), ("伏見", "醍醐支所"), ("西京", "洛西支所")]


@dataclass
class Demo:
    engagement: Engagement
    city: models.Model
    contractor: models.Model
    admin: models.Model
    site: Organisation


def upsert(model: type[models.Model], lookup: dict, values: dict | None = None):
    """Get the row matching ``lookup`` or create it; save only the values that differ."""
    values = values or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj


def _unit(name, kind, parent=None, order=0, **extra) -> Organisation:
    return upsert(
        Organisation,
        {"name": name, "parent": parent},
        {"kind": kind, "sort_order": order, **extra},
    )


def _user(username: str, last: str, first: str, **flags):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, last_name=last, first_name=first, **flags)
        user.set_password(DEMO_PASSWORDS[username])
        user.save()
    return user


def seed_organisations() -> tuple[Organisation, Organisation]:
    """The city, the 別紙2 chart of 地域自治推進室, and the 14 ward offices and branches."""
    city = _unit("京都市", OrganisationKind.CITY)
    bureau = _unit("文化市民局", OrganisationKind.BUREAU, city, 1)
    office = _unit("地域自治推進室", OrganisationKind.OFFICE, bureau, 1, head_title="室長")
    # 別紙2 shows two 部長; the words in brackets are our reading of which sections each leads.
    director_a = _unit("部長（区政推進）", OrganisationKind.POST, office, 1, fax="222-3042")
    director_b = _unit("部長（地域づくり）", OrganisationKind.POST, office, 2)
    chief = _unit("区政推進課長", OrganisationKind.POST, director_a, 1, fax="213-0321")
    smart_chief = _unit(
        "区庁舎整備・スマート区役所推進担当課長", OrganisationKind.POST, director_a, 2
    )
    site = _unit("区政・スマート区役所推進担当", OrganisationKind.SECTION, smart_chief, 1)
    _unit("市民窓口企画担当", OrganisationKind.SECTION, chief, 1)
    _unit("マイナンバー担当", OrganisationKind.SECTION, chief, 2)
    _unit("市民活動支援担当", OrganisationKind.SECTION, director_b, 1)
    _unit("地域づくり推進担当", OrganisationKind.SECTION, director_b, 2)
    _unit("サポートセンター", OrganisationKind.SECTION, director_b, 3)
    _unit("まちづくりアドバイザー", OrganisationKind.POST, director_b, 4)

    wards = {}
    for order, ward in enumerate(WARD_OFFICES, start=1):
        wards[ward] = _unit(f"{ward}区役所", OrganisationKind.WARD_OFFICE, city, 100 + order)
    for order, (ward, branch) in enumerate(BRANCHES, start=1):
        _unit(f"{ward}区役所{branch}", OrganisationKind.BRANCH, wards[ward], 200 + order)
    return office, site


def seed() -> Demo:
    office, site = seed_organisations()
    contractor_company = _unit(
        "株式会社オフィスリフォーム京都", OrganisationKind.COMPANY, None, 900
    )
    engagement = upsert(
        Engagement,
        {"title": "働き方改革につながる職場環境の提案及びモデル実践に係る委託"},
        {
            "client": office,
            "section": site,
            "building": "京都市役所 本庁舎",
            "floor": "3階",
            "contract_start": dt.date(2026, 7, 1),
            "contract_end": dt.date(2027, 3, 19),
            "fiscal_year": 2026,
            "contractor": contractor_company.name,
            "desk_count": 19,
            "summary": (
                "在宅勤務・資料等のペーパーレス化・迅速な意思決定がより一層推進される職場環境の"
                "在り方について調査・提案するとともに、同提案を基にモデル実践する"
                "（スマート区役所の推進）。"
            ),
        },
    )
    city = _user("city", "山田", "花子")
    contractor = _user("contractor", "佐藤", "健")
    admin = _user("admin", "鈴木", "一郎", is_staff=True, is_superuser=True)
    membership_set(engagement=engagement, user=city, role=Role.CITY_STAFF, organisation=site)
    membership_set(
        engagement=engagement,
        user=contractor,
        role=Role.CONTRACTOR,
        organisation=contractor_company,
    )
    membership_set(engagement=engagement, user=admin, role=Role.ADMINISTRATOR)

    # The next office the reform is meant to reach (別紙1: 西京区役所 was the model ward).
    saikyo = Organisation.objects.get(name="西京区役所")
    next_engagement = upsert(
        Engagement,
        {"title": "西京区役所 職場環境改革（準備）"},
        {
            "client": saikyo,
            "section": saikyo,
            "building": "西京区総合庁舎",
            "floor": "2階",
            "contract_start": dt.date(2027, 4, 1),
            "contract_end": dt.date(2028, 3, 17),
            "fiscal_year": 2027,
            "contractor": contractor_company.name,
            "desk_count": 0,
        },
    )
    membership_set(engagement=next_engagement, user=admin, role=Role.ADMINISTRATOR)
    return Demo(engagement=engagement, city=city, contractor=contractor, admin=admin, site=site)
