"""The shared primitives every stage builds on: workflow, optimistic locking, uploads,
formula-safe workbooks, return URLs and the registries."""

import dataclasses
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from openpyxl import Workbook, load_workbook
from PIL import Image

from engagements.concurrency import StaleEdit, check_version
from engagements.permissions import Action
from engagements.uploads import Kind, validate_upload
from engagements.workflow import WORKFLOWS, Transition, Workflow
from engagements.xlsx import FORMULA_PREFIXES, append_row
from meetings import services as meeting_services
from meetings.choices import ApprovalKind, ApprovalStatus
from meetings.models import ApprovalRequest, ApprovalStatusChange


# --- Workflow -----------------------------------------------------------------------------
def _refuse_if_note(locked):
    if locked.reason == "refuse":
        raise ValidationError("refused by check")


FLOW = Workflow(
    model=ApprovalRequest,
    log_model=ApprovalStatusChange,
    log_fk="request",
    transitions={
        (ApprovalStatus.REQUESTED, ApprovalStatus.APPROVED): Transition(
            Action.DECIDE_APPROVAL, "approve", check=_refuse_if_note
        ),
        (ApprovalStatus.REQUESTED, ApprovalStatus.REJECTED): Transition(
            Action.DECIDE_APPROVAL, "reject", comment_required=True
        ),
        (ApprovalStatus.REQUESTED, ApprovalStatus.WITHDRAWN): Transition(
            Action.REQUEST_APPROVAL, "withdraw"
        ),
    },
)
WORKFLOWS.remove(FLOW)  # a machine of this test only: not one of the app's status fields


@pytest.fixture
def request_row(engagement, contractor):
    return meeting_services.approval_request_create(
        engagement=engagement, actor=contractor, kind=ApprovalKind.WEB_APP,
        title="Zoom の利用", app_name="Zoom", reason="打合せ",
    )


def _log_count(row):
    return ApprovalStatusChange.objects.filter(request=row).count()


def test_apply_moves_and_writes_one_status_row(request_row, city_user):
    before = _log_count(request_row)
    FLOW.apply(request_row, ApprovalStatus.APPROVED, actor=city_user, comment=" ok ")
    request_row.refresh_from_db()
    assert request_row.status == ApprovalStatus.APPROVED
    assert _log_count(request_row) == before + 1
    last = ApprovalStatusChange.objects.filter(request=request_row).last()
    assert (last.old_status, last.new_status, last.actor, last.comment) == (
        ApprovalStatus.REQUESTED, ApprovalStatus.APPROVED, city_user, "ok"
    )


@pytest.mark.parametrize(
    ("who", "target", "error"),
    [
        ("contractor", ApprovalStatus.APPROVED, PermissionDenied),  # wrong role
        ("city_user", ApprovalStatus.WITHDRAWN, PermissionDenied),  # wrong role
        ("city_user", ApprovalStatus.REJECTED, ValidationError),  # comment required
        ("city_user", ApprovalStatus.REQUESTED, ValidationError),  # not in the table
    ],
)
def test_refused_transitions_write_nothing(request_row, city_user, contractor, who, target,
                                           error):
    actor = {"contractor": contractor, "city_user": city_user}[who]
    before = _log_count(request_row)
    with pytest.raises(error):
        FLOW.apply(request_row, target, actor=actor)
    request_row.refresh_from_db()
    assert request_row.status == ApprovalStatus.REQUESTED
    assert _log_count(request_row) == before


def test_check_runs_on_the_locked_row(request_row, city_user):
    ApprovalRequest.objects.filter(pk=request_row.pk).update(reason="refuse")
    with pytest.raises(ValidationError, match="refused by check"):
        FLOW.apply(request_row, ApprovalStatus.APPROVED, actor=city_user)  # stale instance
    request_row.refresh_from_db()
    assert request_row.status == ApprovalStatus.REQUESTED


def test_available_lists_only_what_the_role_may_take(request_row):
    assert [c.target for c in FLOW.available(request_row, "city_staff")] == [
        ApprovalStatus.APPROVED, ApprovalStatus.REJECTED
    ]
    assert [c.target for c in FLOW.available(request_row, "contractor")] == [
        ApprovalStatus.WITHDRAWN
    ]


def test_apply_many_is_all_or_none(engagement, contractor, city_user, request_row):
    refused = meeting_services.approval_request_create(
        engagement=engagement, actor=contractor, kind=ApprovalKind.WEB_APP,
        title="Teams の利用", app_name="Teams", reason="refuse",
    )
    with pytest.raises(ValidationError) as error:
        FLOW.apply_many([request_row, refused], ApprovalStatus.APPROVED, actor=city_user)
    assert len(error.value.messages) == 1 and "refused by check" in error.value.messages[0]
    assert set(ApprovalRequest.objects.values_list("status", flat=True)) == {
        ApprovalStatus.REQUESTED
    }


def test_apply_many_writes_each_objects_values_in_its_move(engagement, contractor, city_user,
                                                           request_row):
    other = meeting_services.approval_request_create(
        engagement=engagement, actor=contractor, kind=ApprovalKind.WEB_APP,
        title="Teams の利用", app_name="Teams", reason="打合せ",
    )
    FLOW.apply_many([request_row, other], ApprovalStatus.APPROVED, actor=city_user,
                    values_of=lambda row: {"reason": f"{row.app_name} 承認"})
    assert dict(ApprovalRequest.objects.filter(pk__in=[request_row.pk, other.pk])
                .values_list("app_name", "reason")) == {"Zoom": "Zoom 承認",
                                                        "Teams": "Teams 承認"}


def test_check_sees_the_values_of_the_move_only_when_asked(request_row, city_user):
    # the check refuses a reason "refuse": written with the move, it sees it only with
    # check_values
    seeing = Workflow(model=FLOW.model, log_model=FLOW.log_model, log_fk=FLOW.log_fk,
                      transitions={key: dataclasses.replace(tr, check_values=True)
                                   for key, tr in FLOW.transitions.items()})
    WORKFLOWS.remove(seeing)
    with pytest.raises(ValidationError, match="refused by check"):
        seeing.apply(request_row, ApprovalStatus.APPROVED, actor=city_user,
                     values={"reason": "refuse"})
    request_row.refresh_from_db()
    assert (request_row.status, request_row.reason) == (ApprovalStatus.REQUESTED, "打合せ")
    FLOW.apply(request_row, ApprovalStatus.APPROVED, actor=city_user,
               values={"reason": "refuse"})
    request_row.refresh_from_db()
    assert request_row.status == ApprovalStatus.APPROVED


# --- Optimistic locking -------------------------------------------------------------------
def test_check_version_refuses_a_stale_version_with_current_values(request_row):
    request_row.version = 3  # what a Versioned model carries
    check_version(request_row, "3", fields=["title"])
    check_version(request_row, None, fields=["title"])  # forms without the field
    with pytest.raises(StaleEdit) as error:
        check_version(request_row, 2, fields=["title"])
    assert "Zoom" in error.value.messages[0]
    assert "保存されていません" in error.value.messages[0]


# --- Uploads ------------------------------------------------------------------------------
def _png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", PDF),
        ("plan.png", _png()),
        ("メモ.txt", "打合せメモ".encode()),
        ("memo.txt", "打合せメモ".encode("cp932")),
    ],
)
def test_allowed_uploads_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "kinds"),
    [
        ("fake.pdf", _png(), (Kind.PDF, Kind.IMAGE)),  # a PNG named .pdf
        ("page.html", b"<html><script>alert(1)</script></html>", tuple(Kind)),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", tuple(Kind)),
        ("x.txt", b"<script>alert(1)</script>", tuple(Kind)),
        ("x.png", PDF, tuple(Kind)),
        ("a.pdf", PDF, (Kind.IMAGE,)),  # a PDF where only images are accepted
        ("noext", PDF, tuple(Kind)),
    ],
)
def test_refused_uploads_say_why_in_japanese(name, content, kinds):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content), kinds)
    assert "ファイル" in error.value.messages[0] or "形式" in error.value.messages[0]


def test_images_over_the_pixel_limit_are_refused(settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "MAX_IMAGE_PIXELS": 100}
    validate_upload(SimpleUploadedFile("a.png", _png((10, 10))))
    with pytest.raises(ValidationError, match="ピクセル"):
        validate_upload(SimpleUploadedFile("a.png", _png((11, 10))))


# --- Workbooks ----------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, prefix):
    value = f'{prefix}HYPERLINK("http://evil.example/","open me")'
    wb = Workbook()
    append_row(wb.active, ["header"])
    append_row(wb.active, [value, 5])
    write_only = Workbook(write_only=True)
    append_row(write_only.create_sheet(), [value])
    for book, name in ((wb, "a.xlsx"), (write_only, "b.xlsx")):
        book.save(tmp_path / name)
        sheet = load_workbook(tmp_path / name).worksheets[-1]
        cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" for c in cells)


# --- Return URLs --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("next_url", "followed"),
    [
        ("/engagements/{pk}/meetings/", True),
        ("/engagements/{pk}/meetings/?status=open", True),
        ("/1/meetings/", False),  # on this site, but no page: redirect() must not fail
        ("junk", False),  # redirect() would take it for a URL name after the change
        ("1", False),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_return_url_follows_only_this_site(engagement, next_url, followed):
    from engagements.views import EngagementMixin

    next_url = next_url.replace("{pk}", str(engagement.pk))
    view = EngagementMixin()
    view.request = RequestFactory().post("/", {"next": next_url})
    view.engagement = engagement
    result = view.get_return_url("/fallback/")
    assert result == (next_url if followed else "/fallback/")


# --- Registries ---------------------------------------------------------------------------
def test_stages_are_registered_by_their_apps_in_order():
    from engagements.stages import STAGES

    assert [s.key for s in STAGES] == [
        "survey", "proposals", "procurement", "disposal", "meetings", "reports"
    ]
    steps = STAGES.demo_steps()
    assert steps.index("survey.demo.seed") < steps.index("proposals.demo.seed")
    assert steps.index("proposals.demo.seed") < steps.index("meetings.demo.seed")


def test_chapters_are_registered_in_order_with_the_appendix_last():
    from reports.chapters import CHAPTERS

    keys = [c.key for c in CHAPTERS]
    assert keys[:2] == ["overview", "organisation"]
    order = ["survey", "proposals", "procurement", "disposal", "meetings"]
    assert [k for k in keys if k in order] == order
    assert keys[-1] == "approvals" and not CHAPTERS["approvals"].numbered


def test_proposals_register_themselves_as_linkable():
    from meetings import links

    assert "proposals.Proposal" in links.LINKABLE_MODELS
