"""Writes of the meetings app. Every write checks the actor's role again.

Each function is keyword-only and atomic, locks the row it changes, runs ``full_clean``,
checks the allowed source states and writes exactly one status-change row (besides the
django-simple-history rows) when it changes a status.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.concurrency import bump, check_version
from engagements.files import save_file_on_commit
from engagements.models import Engagement, Membership
from engagements.permissions import Action, require_member
from engagements.services import save_checked, set_history_actor
from engagements.uploads import ATTACHMENT_KINDS, validate_upload

from .choices import (
    APPROVAL_DECISIONS,
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    AttendeeSide,
    MinutesStatus,
)
from .models import (
    ActionItem,
    ApprovalRequest,
    Attachment,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    Suggestion,
)
from .workflows import ACTION_ITEM_WORKFLOW, APPROVAL_WORKFLOW, MINUTES_WORKFLOW

SIDE_OF_ROLE = {"city_staff": AttendeeSide.CITY, "contractor": AttendeeSide.CONTRACTOR}


# --- Meetings ---------------------------------------------------------------------------------
def _set_attendees(*, meeting: Meeting, members: Iterable, guests: Iterable[dict], actor) -> None:
    """Replace the attendees: members of the engagement (side from their role) and guests."""
    member_roles = dict(
        Membership.objects.filter(engagement_id=meeting.engagement_id).values_list(
            "user_id", "role"
        )
    )
    wanted = {user.pk for user in members}
    outsiders = wanted - set(member_roles)
    if outsiders:
        raise ValidationError({"members": _("Attendees must be members of the engagement.")})
    for attendee in meeting.attendees.all():
        if attendee.user_id is None or attendee.user_id not in wanted:
            set_history_actor(attendee, actor)
            attendee.delete()
    present = set(meeting.attendees.values_list("user_id", flat=True))
    for user_id in sorted(wanted - present):
        side = SIDE_OF_ROLE.get(member_roles[user_id], AttendeeSide.GUEST)
        save_checked(Attendee(meeting=meeting, user_id=user_id, side=side), actor=actor)
    for guest in guests:
        name = (guest.get("name") or "").strip()
        if name:
            save_checked(
                Attendee(meeting=meeting, name=name, side=AttendeeSide.GUEST,
                         organisation=(guest.get("organisation") or "").strip()),
                actor=actor,
            )


@transaction.atomic
def meeting_create(
    *, engagement: Engagement, actor: AbstractBaseUser, members: Iterable = (),
    guests: Iterable[dict] = (), **fields,
) -> Meeting:
    """Record a meeting and who attends it. The contractor keeps the meetings' records."""
    require_member(actor, engagement, Action.WRITE_MINUTES)
    meeting = Meeting(engagement=engagement, created_by=actor, **fields)
    save_checked(meeting, actor=actor)
    _set_attendees(meeting=meeting, members=members, guests=guests, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, actor: AbstractBaseUser, members: Iterable = (),
    guests: Iterable[dict] = (), version: int | None = None, **fields,
) -> Meeting:
    """Change a meeting's facts and attendees; refused once any minutes are confirmed, since
    the confirmed minutes state them (correct them with a new version instead)."""
    require_member(actor, meeting.engagement_id, Action.WRITE_MINUTES)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_versions.filter(status=MinutesStatus.CONFIRMED).exists():
        raise ValidationError(
            _("The minutes of this meeting are confirmed; its details can no longer change.")
        )
    check_version(meeting, version, fields=list(fields))
    for name, value in fields.items():
        setattr(meeting, name, value)
    bump(meeting)
    save_checked(meeting, actor=actor)
    _set_attendees(meeting=meeting, members=members, guests=guests, actor=actor)
    return meeting


# --- Minutes ----------------------------------------------------------------------------------
@transaction.atomic
def minutes_create(*, meeting: Meeting, actor: AbstractBaseUser) -> Minutes:
    """Start the first version of a meeting's minutes as a draft (the contractor writes them)."""
    require_member(actor, meeting.engagement_id, Action.WRITE_MINUTES)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_versions.exists():
        raise ValidationError(_("This meeting already has minutes."))
    minutes = Minutes(meeting=meeting, version=1, written_by=actor)
    save_checked(minutes, actor=actor)
    MINUTES_WORKFLOW.log_start(minutes, actor=actor)
    return minutes


def _replace_rows(*, model, minutes: Minutes, rows: list[dict], fields: list[str], actor,
                  workflow=None):
    """Update rows given with an ``id``, create those without, delete the ones left out.

    A changed status of an existing row goes through ``workflow`` (one status-change row);
    a new row starts in the status given.
    """
    existing = {row.pk: row for row in model.objects.filter(minutes=minutes)}
    kept = set()
    for order, values in enumerate(rows, start=1):
        pk = values.get("id")
        row = existing.get(pk) if pk else None
        if pk and row is None:
            raise ValidationError(_("A row does not belong to these minutes."))
        row = row or model(minutes=minutes)
        row.order = order
        target = None
        for name in fields:
            if name not in values:
                continue
            if workflow is not None and name == workflow.field and row.pk:
                target = values[name] if values[name] != getattr(row, name) else None
                continue
            setattr(row, name, values[name])
        save_checked(row, actor=actor)
        if target:
            workflow.apply(row, target, actor=actor)
        kept.add(row.pk)
    for pk, row in existing.items():
        if pk not in kept:
            set_history_actor(row, actor)
            row.delete()


@transaction.atomic
def minutes_update(
    *, minutes: Minutes, actor: AbstractBaseUser, discussion: str, next_meeting: str = "",
    decisions: list[dict] | None = None, action_items: list[dict] | None = None,
    version: int | None = None,
) -> Minutes:
    """Save the text, decisions and action items of minutes that are with the contractor
    (下書き or 差戻し). Rows with an ``id`` are updated, rows without are added, others removed."""
    require_member(actor, minutes.meeting.engagement_id, Action.WRITE_MINUTES)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if not minutes.is_editable():
        raise ValidationError(
            _("Minutes in the status “%(status)s” cannot be edited.")
            % {"status": minutes.get_status_display()}
        )
    check_version(minutes, version, fields=["discussion", "next_meeting"])
    minutes.discussion = discussion
    minutes.next_meeting = next_meeting
    save_checked(minutes, actor=actor,
                 update_fields=["discussion", "next_meeting", bump(minutes)])
    if decisions is not None:
        _replace_rows(model=Decision, minutes=minutes, rows=decisions,
                      fields=["text", "linked_type", "linked_id"], actor=actor)
    if action_items is not None:
        _replace_rows(model=ActionItem, minutes=minutes, rows=action_items,
                      fields=["description", "owner", "owner_name", "due_date", "status"],
                      actor=actor, workflow=ACTION_ITEM_WORKFLOW)
    return minutes


@transaction.atomic
def minutes_request_confirmation(
    *, minutes: Minutes, actor: AbstractBaseUser, comment: str = ""
) -> Minutes:
    """The contractor hands the minutes to the city for confirmation (確認依頼); they need a
    discussion or a decision, checked on the locked row."""
    return MINUTES_WORKFLOW.apply(minutes, MinutesStatus.REQUESTED, actor=actor, comment=comment)


@transaction.atomic
def minutes_save_and_request(
    *, minutes: Minutes, actor: AbstractBaseUser, discussion: str, next_meeting: str = "",
    decisions: list[dict] | None = None, action_items: list[dict] | None = None,
    version: int | None = None,
) -> Minutes:
    """「保存して確認を依頼」: save the text and hand the minutes to the city, all or nothing.

    One service call for the one button: the request is checked on the row just saved, so
    text typed into an empty draft counts.
    """
    saved = minutes_update(minutes=minutes, actor=actor, discussion=discussion,
                           next_meeting=next_meeting, decisions=decisions,
                           action_items=action_items, version=version)
    return minutes_request_confirmation(minutes=saved, actor=actor)


@transaction.atomic
def minutes_confirm(*, minutes: Minutes, actor: AbstractBaseUser, comment: str = "") -> Minutes:
    """City staff confirm the minutes (確定); from then on they are read-only."""
    return MINUTES_WORKFLOW.apply(
        minutes, MinutesStatus.CONFIRMED, actor=actor, comment=comment,
        values={"confirmed_by": actor, "confirmed_at": timezone.now()},
    )


@transaction.atomic
def minutes_return(*, minutes: Minutes, actor: AbstractBaseUser, comment: str) -> Minutes:
    """City staff send the minutes back (差戻し), saying what to correct."""
    return MINUTES_WORKFLOW.apply(minutes, MinutesStatus.RETURNED, actor=actor, comment=comment)


@transaction.atomic
def minutes_revise(*, minutes: Minutes, actor: AbstractBaseUser, reason: str) -> Minutes:
    """Correct confirmed minutes: a new draft version n+1 with the same content, which goes
    through the workflow again. The confirmed version stays as it is."""
    require_member(actor, minutes.meeting.engagement_id, Action.WRITE_MINUTES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
    minutes = Minutes.objects.get(pk=minutes.pk)
    latest = meeting.minutes_versions.aggregate(v=Max("version"))["v"]
    if minutes.status != MinutesStatus.CONFIRMED or minutes.version != latest:
        raise ValidationError(_("Only the latest confirmed minutes can be corrected."))
    new = Minutes(
        meeting=meeting, version=latest + 1, written_by=actor, discussion=minutes.discussion,
        next_meeting=minutes.next_meeting, revision_reason=reason.strip(),
    )
    save_checked(new, actor=actor)
    for decision in minutes.decisions.all():
        save_checked(Decision(minutes=new, order=decision.order, text=decision.text,
                       linked_type=decision.linked_type, linked_id=decision.linked_id),
              actor=actor)
    for item in minutes.action_items.all():
        save_checked(ActionItem(minutes=new, order=item.order, description=item.description,
                         owner=item.owner, owner_name=item.owner_name, due_date=item.due_date,
                         status=item.status), actor=actor)
    MINUTES_WORKFLOW.log_start(new, actor=actor, comment=reason.strip())
    return new


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str, actor: AbstractBaseUser):
    """Follow an action item up (open → done or cancelled, or reopened). This is tracking,
    not the minutes' text, so it is allowed on confirmed minutes too."""
    item = ActionItem.objects.select_related("minutes__meeting").get(pk=item.pk)
    require_member(actor, item.minutes.meeting.engagement_id, Action.WRITE_MINUTES)
    if status not in ActionItemStatus.values:
        raise ValidationError(_("Unknown status."))
    if item.status == status:
        return item
    return ACTION_ITEM_WORKFLOW.apply(item, status, actor=actor)


# --- Approvals --------------------------------------------------------------------------------
@transaction.atomic
def approval_request_create(
    *, engagement: Engagement, actor: AbstractBaseUser, **fields
) -> ApprovalRequest:
    """The contractor files a request (申請中). A wholesale subcontract is refused here."""
    require_member(actor, engagement, Action.REQUEST_APPROVAL)
    fields.pop("status", None)  # a request starts as requested; only the workflow moves it
    request = ApprovalRequest(engagement=engagement, requested_by=actor, **fields)
    save_checked(request, actor=actor)
    APPROVAL_WORKFLOW.log_start(request, actor=actor)
    return request


@transaction.atomic
def approval_decide(
    *, request: ApprovalRequest, status: str, actor: AbstractBaseUser, comment: str = "",
    document_number: str = "", document_date=None,
) -> ApprovalRequest:
    """City staff approve or refuse a pending request. 再委託 needs the city's written
    approval, so approving one needs the document number and date."""
    if status not in APPROVAL_DECISIONS:
        raise ValidationError(_("Choose approve or not approve."))
    if (
        status == ApprovalStatus.APPROVED
        and request.kind == ApprovalKind.SUBCONTRACT
        and not (document_number.strip() and document_date)
    ):
        raise ValidationError(
            {"document_number": _("Subcontracting is approved in writing: give the city's "
                                  "document number and date.")}
        )
    if bool(document_number.strip()) != bool(document_date):
        raise ValidationError(
            {"document_date": _("Give both the document number and its date, or neither.")}
        )
    return APPROVAL_WORKFLOW.apply(
        request, status, actor=actor, comment=comment,
        values={"decided_by": actor, "decision_comment": comment,
                "document_number": document_number.strip(), "document_date": document_date},
    )


@transaction.atomic
def approval_withdraw(
    *, request: ApprovalRequest, actor: AbstractBaseUser, comment: str = ""
) -> ApprovalRequest:
    """The contractor withdraws a pending request (取下げ)."""
    return APPROVAL_WORKFLOW.apply(request, ApprovalStatus.WITHDRAWN, actor=actor,
                                   comment=comment)


# --- Suggestions ------------------------------------------------------------------------------
@transaction.atomic
def suggestion_create(*, engagement: Engagement, actor: AbstractBaseUser, **fields) -> Suggestion:
    """Log a proposal or information of the contractor's own initiative."""
    require_member(actor, engagement, Action.REQUEST_APPROVAL)
    suggestion = Suggestion(engagement=engagement, submitted_by=actor, **fields)
    save_checked(suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_respond(*, suggestion: Suggestion, actor: AbstractBaseUser, response: str):
    """The city answers a logged proposal or information; the answer may be amended."""
    require_member(actor, suggestion.engagement_id, Action.DECIDE_APPROVAL)
    if not response.strip():
        raise ValidationError({"response": _("Write the city's response.")})
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    suggestion.response = response.strip()
    suggestion.responded_by = actor
    suggestion.responded_on = timezone.localdate()
    save_checked(suggestion, actor=actor,
          update_fields=["response", "responded_by", "responded_on"])
    return suggestion


# --- Attachments ------------------------------------------------------------------------------
def attach_action(*, to_meeting: bool) -> Action:
    """A meeting's files are the contractor's records; a request's papers come from either
    party (the contractor's application, the city's answer)."""
    return Action.WRITE_MINUTES if to_meeting else Action.ATTACH_APPROVAL_FILE


def _upload_check(upload) -> None:
    """Kind, content and the size limit of the kind (``validate_upload``)."""
    try:
        validate_upload(upload, ATTACHMENT_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


@transaction.atomic
def attachment_add(
    *, actor: AbstractBaseUser, upload, meeting: Meeting | None = None,
    approval: ApprovalRequest | None = None, description: str = "",
) -> Attachment:
    """Attach a file to a meeting (the contractor) or to an approval request (either party:
    the contractor's request papers, the city's answer)."""
    owner = meeting or approval
    require_member(actor, owner.engagement_id, attach_action(to_meeting=meeting is not None))
    _upload_check(upload)
    attachment = Attachment(
        engagement_id=owner.engagement_id, meeting=meeting, approval=approval, file=upload,
        original_name=upload.name[:200], size=upload.size, description=description,
        uploaded_by=actor,
    )
    save_file_on_commit(attachment, "file")  # no file left behind by a rollback
    save_checked(attachment, actor=actor)
    return attachment


# --- One entry point per status machine, for views and tests ----------------------------------
@transaction.atomic
def minutes_transition(
    *, minutes: Minutes, target: str, actor: AbstractBaseUser, comment: str = ""
) -> Minutes:
    """Move minutes to ``target`` (the workflow refuses what its table does not list)."""
    if target == MinutesStatus.CONFIRMED:
        return minutes_confirm(minutes=minutes, actor=actor, comment=comment)
    return MINUTES_WORKFLOW.apply(minutes, target, actor=actor, comment=comment)


@transaction.atomic
def approval_transition(
    *, request: ApprovalRequest, target: str, actor: AbstractBaseUser, comment: str = "",
    document_number: str = "", document_date=None,
) -> ApprovalRequest:
    """Move a request to ``target``; a decision goes through ``approval_decide``."""
    if target in APPROVAL_DECISIONS:
        return approval_decide(request=request, status=target, actor=actor, comment=comment,
                               document_number=document_number, document_date=document_date)
    return APPROVAL_WORKFLOW.apply(request, target, actor=actor, comment=comment)
