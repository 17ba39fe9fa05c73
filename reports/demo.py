"""Demo data of the report (idempotent: a second run changes nothing).

The cover (宛名, the commission's subtitle, the contractor's address), the scope (the 19 desks
of 区政・スマート区役所推進担当; the neighbouring sections are context), the baseline study and
wave, the contractor's text, and the story of the versions: version 1 submitted with the
second meeting's unconfirmed minutes acknowledged as an open item and accepted by the city;
after it, the contractor has revised the summary, so the draft differs from version 1.
"""

import datetime as dt

from django.utils import timezone

from engagements.demo import Demo, upsert

from .models import BuildKind, ReportBuild, ReportText, ReportVersion, VersionStatus

TEXTS = {
    "survey": (
        "対象範囲19席の平均在席率は48%、ピーク在席率は74%であり、常に4分の1以上の席が"
        "空席であった。職員1人当たりの文書量は地方公共団体の平均を下回るが、"
        "執務室内の収納の使用率は高い。",
        "会議及び在宅勤務による離席が多く、固定席を前提とした配置には余剰がある。",
    ),
    "proposals": (
        "案Aはフリーアドレス16席と集中ブース、Web会議ブースを設ける案である。",
        "推奨席数16席は、ピーク在席率74%に余裕率10%を加えた値であり、"
        "繁忙期の在席にも対応できる。",
    ),
    "summary": (
        "本業務では、区政・スマート区役所推進担当の執務環境を調査し、在席率調査及び"
        "職員アンケートの結果に基づき、フリーアドレスを軸とした執務環境の改善案を作成した。",
        "",
    ),
    "future": (
        "改革後の在席率調査及び職員アンケート（改革後）を実施し、改革前との比較により効果を"
        "検証する必要がある。また、他の区役所・支所への展開に当たっては、各所の在席率を"
        "調査した上で席数を定めることが望ましい。",
        "",
    ),
}
REVISED_SUMMARY = TEXTS["summary"][0] + (
    "第1版の受理後、調達・設置の結果を反映して本章を改訂した。")


def seed(demo: Demo) -> None:
    from survey.designation import baseline_study, baseline_wave

    engagement = demo.engagement
    engagement.subtitle = "～スマート区役所の推進～"
    engagement.addressee = "京都市長 様"
    engagement.contractor_address = "京都市中京区烏丸通御池下る 烏丸御池ビル5階（デモ）"
    study, wave = baseline_study(engagement), baseline_wave(engagement)
    engagement.baseline_study = study
    engagement.baseline_wave = wave
    engagement.save(update_fields=["subtitle", "addressee", "contractor_address",
                                   "baseline_study", "baseline_wave"]
                    ) if _changed(engagement) else None
    if not engagement.scope_sections.exists():
        engagement.scope_sections.set([demo.site])
    submitted = ReportVersion.objects.filter(engagement=engagement).exists()
    for chapter, (findings, discussion) in TEXTS.items():
        if chapter == "summary" and submitted:
            findings = REVISED_SUMMARY  # the draft after version 1
        upsert(ReportText, {"engagement": engagement, "chapter": chapter},
               {"findings": findings, "discussion": discussion})
    if submitted:
        return
    _version_one(demo)
    upsert(ReportText, {"engagement": engagement, "chapter": "summary"},
           {"findings": REVISED_SUMMARY})


def _changed(engagement) -> bool:
    from engagements.models import Engagement

    stored = Engagement.objects.get(pk=engagement.pk)
    return any(getattr(stored, name) != getattr(engagement, name) for name in (
        "subtitle", "addressee", "contractor_address", "baseline_study_id",
        "baseline_wave_id"))


def _version_one(demo: Demo) -> None:
    """Version 1, built and stored as the contractor would submit it, then accepted."""
    from .services import run_build, version_decide

    engagement = demo.engagement
    build = ReportBuild.objects.create(
        engagement=engagement, kind=BuildKind.VERSION, requested_by=demo.contractor,
        acknowledgement="第2回打合せの議事録は市の確認中であり、未了事項として記載する。")
    run_build(build.pk)
    version = ReportVersion.objects.filter(engagement=engagement, number=1).first()
    if version is None:
        build.refresh_from_db()
        raise RuntimeError(f"The demo report could not be built: {build.message}")
    version_decide(version=version, target=VersionStatus.ACCEPTED, actor=demo.city,
                   comment="内容を確認し受理する。")
    # The story's dates: submitted and accepted a week apart, near the end of the contract.
    submitted = timezone.make_aware(dt.datetime.combine(version.issued_on, dt.time(10)))
    version.status_changes.filter(new_status=VersionStatus.SUBMITTED).update(at=submitted)
    version.status_changes.filter(new_status=VersionStatus.ACCEPTED).update(
        at=submitted + dt.timedelta(days=1))
