"""Demo proposal of the seed office: 案A (free address, booths, collaboration space; approved)
and 案B (fixed desks kept, lockers added; returned with a comment), and a small catalogue.

Idempotent: the catalogue and the proposal are upserted; the alternatives are laid out and
moved through the workflow only when they are first made, so a second run writes nothing.
"""

from decimal import Decimal

from engagements.demo import Demo, upsert
from survey import selectors as survey

from . import selectors, services
from .choices import CatalogueKind, SurveyFinding, TaxClass
from .models import Alternative, CatalogueItem, Proposal

CATALOGUE = [
    # name, kind, maker, model, W, D, price, seats, fm, outlets
    ("事務用デスク W1200", CatalogueKind.DESK, "オカムラ", "SD-1270", 1200, 700, 58_000, 1, "0",
     2),
    ("フリーアドレステーブル W2400", CatalogueKind.FREE_ADDRESS_TABLE, "コクヨ", "FA-2414",
     2400, 1400, 186_000, 6, "0", 6),
    ("オフィスチェア", CatalogueKind.CHAIR, "オカムラ", "CH-100", 600, 600, 32_000, 0, "0", 0),
    ("集中ブース 1人用", CatalogueKind.BOOTH, "ブイキューブ", "CB-1", 1000, 1000, 420_000, 1,
     "0", 1),
    ("Web会議ブース 1人用", CatalogueKind.BOOTH, "ブイキューブ", "WB-1", 1000, 1000, 498_000, 1,
     "0", 2),
    ("書庫キャビネット W900", CatalogueKind.CABINET, "コクヨ", "CB-905", 900, 450, 64_000, 0,
     "4.5", 0),
    ("パーソナルロッカー 12人用", CatalogueKind.LOCKER, "コクヨ", "PL-12", 900, 515, 148_000, 0,
     "1.2", 0),
    ("ローパーティション W1200", CatalogueKind.PARTITION, "イトーキ", "LP-1212", 1200, 50,
     24_000, 0, "0", 0),
]

SECTIONS_A = [
    ("フリーアドレスの導入", SurveyFinding.OCCUPANCY,
     "在席率調査では会議・在宅勤務による不在が多く、固定席の半数近くが常に空いていた。"
     "島型の固定席18席を撤去し、6人掛けフリーアドレステーブル2台（12席）とブース2室とする。"),
    ("書類の削減と個人ロッカー", SurveyFinding.DOCUMENT_VOLUME,
     "文書量の合計（収納内と机上・机周り）は収納容量を上回り、机の上にも書類が置かれている。"
     "分析で「廃棄」「電子化」とされた文書を減らしてキャビネット2台を削減し、"
     "個人の持ち物はロッカーへ集約する。"),
    ("集中・Web会議の場所", SurveyFinding.QUESTIONNAIRE,
     "職員アンケートでは会議・協働スペースの満足度が低く重要度が高い。自由記述でも"
     "「集中して作業できる席」「ウェブ会議用の静かな場所」が求められた。"
     "集中ブースとWeb会議ブースを各1室、立ち会議スペースとコラボスペースを設ける。"),
]
SECTIONS_B = [
    ("固定席の維持とロッカー", SurveyFinding.DESKS,
     "固定席を維持したまま、個人ロッカーを追加して机上・机下の書類を減らす。"),
]


def _catalogue(engagement) -> dict[str, CatalogueItem]:
    """The engagement's own catalogue (each engagement keeps its own)."""
    items = {}
    for name, kind, maker, model, w, d, price, seats, fm, outlets in CATALOGUE:
        items[name] = upsert(CatalogueItem, {"engagement": engagement, "name": name}, {
            "kind": kind, "maker": maker, "model_number": model, "width_mm": w, "depth_mm": d,
            "unit_price_yen": price, "tax_class": TaxClass.STANDARD, "seats": seats,
            "storage_fm": Decimal(fm), "outlets": outlets,
        })
    return items


def _layout(alternative, floor, actor, *, remove=(), move=None, add=(), zones=()) -> None:
    """Lay out ``alternative`` by the editor's own save: remove/move survey items, add new."""
    state = selectors.editor_state(alternative, floor)
    move = move or {}
    items = []
    for item in state["items"]:
        label = item["label"]
        if label in move:
            item["x"], item["y"] = move[label]
        item["removed"] = label in remove
        items.append(item)
    for entry, x, y, r in add:
        items.append({"id": None, "catalogue": entry.pk, "label": entry.name, "x": x, "y": y,
                      "r": r})
    zone_rows = [{"id": None, "kind": k, "name": n, "capacity": c, "x": x, "y": y, "w": w,
                  "d": d, "r": 0} for k, n, c, x, y, w, d in zones]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zone_rows,
                         actor=actor)


def _texts(alternative, sections, works, actor) -> None:
    services.sections_save(alternative=alternative, actor=actor, rows=[
        {"id": None, "heading": h, "finding": f, "rationale": r, "sort_order": i}
        for i, (h, f, r) in enumerate(sections, start=1)
    ])
    services.works_lines_save(alternative=alternative, actor=actor, rows=[
        {"id": None, "description": d, "amount_yen": a, "tax_class": TaxClass.STANDARD,
         "sort_order": i}
        for i, (d, a) in enumerate(works, start=1)
    ])


def seed(demo: Demo) -> None:
    engagement = demo.engagement
    catalogue = _catalogue(engagement)
    floor = survey.floor_list(engagement).order_by("sort_order").first()
    if floor is None:
        return
    proposal = upsert(Proposal, {"engagement": engagement, "title": "執務環境の改善提案"}, {
        "summary": "調査結果（在席率・文書量・職員アンケート）に基づき、在宅勤務・ペーパーレス化・"
                   "迅速な意思決定を進める執務環境を2案で提案する。",
    })
    # 案B is submitted and returned before 案A is approved: once an alternative is approved,
    # no other alternative of the proposal can be submitted.
    if not Alternative.objects.filter(proposal=proposal, label="案B").exists():
        plan_b = services.alternative_create(
            proposal=proposal, label="案B", actor=demo.contractor,
            rationale="固定席を維持し、ロッカーの追加で書類と私物を整理する。費用を抑えた案。",
        )
        _layout(plan_b, floor, demo.contractor, add=[
            (catalogue["パーソナルロッカー 12人用"], 10_000, 100, 0),
            (catalogue["Web会議ブース 1人用"], 10_800, 5_200, 0),
        ])
        _texts(plan_b, SECTIONS_B, [("搬入・組立", 40_000)], demo.contractor)
        services.alternative_submit(alternative=plan_b, actor=demo.contractor)
        services.alternative_return(
            alternative=plan_b, actor=demo.city,
            comment="在席率の結果を踏まえ、席数の見直しを検討してください。",
        )
    if not Alternative.objects.filter(proposal=proposal, label="案A").exists():
        plan_a = services.alternative_create(
            proposal=proposal, label="案A", actor=demo.contractor,
            rationale="フリーアドレスとブースにより、在席率に見合った席数と集中・Web会議の場所を確保する。",
        )
        island_desks = [f"{n:02d}" for n in range(2, 20)]
        _layout(
            plan_a, floor, demo.contractor,
            remove=[*island_desks, "C01", "C02"],
            move={"複合機": (12_000, 5_200)},
            add=[
                (catalogue["フリーアドレステーブル W2400"], 1_000, 1_500, 0),
                (catalogue["フリーアドレステーブル W2400"], 1_000, 4_000, 0),
                (catalogue["集中ブース 1人用"], 1_000, 6_500, 0),
                (catalogue["Web会議ブース 1人用"], 2_000, 6_500, 0),
                (catalogue["パーソナルロッカー 12人用"], 10_000, 100, 0),
                (catalogue["パーソナルロッカー 12人用"], 10_900, 100, 0),
            ],
            zones=[
                ("collaboration", "コラボスペース", 6, 9_300, 7_200, 2_400, 1_600),
                ("standing", "立ち会議", 4, 3_600, 8_600, 1_800, 1_200),
            ],
        )
        _texts(plan_a, SECTIONS_A, [("OAタップ・LAN配線工事", 180_000),
                                    ("搬入・組立・撤去", 120_000)], demo.contractor)
        services.alternative_submit(alternative=plan_a, actor=demo.contractor,
                                    comment="案Aを提出します。")
        services.alternative_approve(alternative=plan_a, actor=demo.city,
                                     comment="案Aで進めてください。")
