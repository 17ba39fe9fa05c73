"""The benchmarks the report compares with, each with its source (出典).

One table: a benchmark printed in the report comes from here and its 出典 is printed under
the figure or table that uses it; a benchmark without a source is not printed (DOMAIN.md).
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Reference:
    key: str
    label: str
    value: str
    source: str


def references() -> dict[str, Reference]:
    fm = settings.OFFICE_REFORM["DOCUMENT_FM_PER_PERSON_BENCHMARK"]
    rows = [
        Reference(
            "document_fm", "地方公共団体の職員1人当たり文書量", f"{fm}fm",
            "FMSによる193組織の文書量調査（地方公共団体の平均値）",
        ),
        Reference(
            "occupancy", "在席率（中央省庁の執務室）", "55%",
            "経済産業省「令和元年度産業経済研究委託事業（生産性向上や業務効率化を目的とした"
            "職員のオフィス利用状況に関する実態調査）報告書」（2020年）",
        ),
        Reference(
            "storage_per_seat", "1席当たり収納量（中央省庁の執務室）", "4.1fm",
            "経済産業省「令和元年度産業経済研究委託事業（生産性向上や業務効率化を目的とした"
            "職員のオフィス利用状況に関する実態調査）報告書」（2020年）",
        ),
        Reference(
            "seats_per_person", "フリーアドレスの座席数（職員1人当たり）", "0.8席",
            "英国政府の執務環境基準（職員10人当たり8席）",
        ),
        Reference(
            "paper_reduction", "執務室改修後の文書量の削減", "−60%",
            "経済産業省「令和3年度デジタル行政に対応した本省庁舎執務環境整備に関する"
            "調査事業調査報告書」（2022年）",
        ),
    ]
    return {r.key: r for r in rows}
