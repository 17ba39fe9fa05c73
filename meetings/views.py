"""Views of the meetings app: thin — a form validates, one service call, a message, a redirect."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from engagements.downloads import file_response
from engagements.forms import add_service_errors, error_summary
from engagements.history import history_entries
from engagements.permissions import Action
from engagements.views import Crumb, EngagementMixin, upload_response
from engagements.workflow import status_history

from . import selectors, services
from .choices import APPROVAL_DECISIONS, ApprovalStatus, MinutesStatus
from .filtersets import ActionItemFilterSet, ApprovalFilterSet
from .forms import (
    ActionItemFormSet,
    ActionItemStatusForm,
    ApprovalDecisionForm,
    ApprovalRequestForm,
    AttachmentForm,
    CommentForm,
    DecisionFormSet,
    GuestFormSet,
    MeetingForm,
    MinutesForm,
    ReviseForm,
    SuggestionForm,
    SuggestionResponseForm,
    formset_rows,
)
from .links import link_value, linkable_choices
from .models import ActionItem, ApprovalRequest, Attachment, Meeting, Minutes, Suggestion
from .pdf import minutes_download_name, minutes_filename, minutes_pdf
from .workflows import APPROVAL_WORKFLOW, MINUTES_WORKFLOW


class MeetingsMixin(EngagementMixin):
    stage = "meetings"

    def get_parent_crumbs(self, context):
        """The meeting, or the approvals register, when the page is inside it."""
        meeting = context.get("meeting")
        if meeting is not None and self.get_crumb(context) != meeting.title:
            return [Crumb(meeting.title, meeting.get_absolute_url())]
        if "approval" in context or isinstance(self, ApprovalCreateView):
            return [Crumb(_("Approvals and consultations"),
                          self.engagement_url("meetings:approval_list"))]
        return []

    def meeting_or_404(self, pk) -> Meeting:
        return get_object_or_404(Meeting, engagement=self.engagement, pk=pk)

    def minutes_or_404(self, pk) -> Minutes:
        return get_object_or_404(
            Minutes.objects.select_related("meeting"), meeting__engagement=self.engagement, pk=pk
        )

    def approval_or_404(self, pk) -> ApprovalRequest:
        return get_object_or_404(ApprovalRequest, engagement=self.engagement, pk=pk)


class StageIndexView(MeetingsMixin, TemplateView):
    """The stage's start page: what waits for whom, and the meetings."""

    template_name = "meetings/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.meetings_summary(self.engagement)
        context["meetings"] = selectors.meeting_list(self.engagement)
        return context


# --- Meetings ---------------------------------------------------------------------------------
class MeetingFormView(MeetingsMixin, TemplateView):
    """Create or change a meeting with its attending members and guests."""

    template_name = "meetings/meeting_form.html"

    def get_crumb(self, context):
        return _("Change") if context.get("meeting") else _("New meeting")
    required_action = Action.WRITE_MINUTES

    def get_meeting(self):
        pk = self.kwargs.get("pk")
        return self.meeting_or_404(pk) if pk else None

    def get_context_data(self, form=None, guests=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context["meeting"] = meeting
        context["form"] = form or MeetingForm(
            engagement=self.engagement, instance=meeting,
            initial=None if meeting else {"place": str(self.engagement.client)},
        )
        context["guests"] = guests or GuestFormSet(
            prefix="guests",
            initial=[{"name": a.name, "organisation": a.organisation}
                     for a in meeting.attendees.all() if not a.user_id] if meeting else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = MeetingForm(request.POST, engagement=self.engagement, instance=meeting)
        guests = GuestFormSet(request.POST, prefix="guests")
        if form.is_valid() and guests.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            people = {
                "members": form.cleaned_data["members"],
                "guests": [g for g in guests.cleaned_data if g],
            }
            try:
                if meeting is None:
                    meeting = services.meeting_create(
                        engagement=self.engagement, actor=request.user, **people, **fields
                    )
                    messages.success(request, _("The meeting was recorded."))
                else:
                    services.meeting_update(meeting=meeting, actor=request.user, **people,
                                            version=form.cleaned_data.get("version"), **fields)
                    messages.success(request, _("The meeting was saved."))
                return redirect(meeting.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, guests=guests))


class MeetingDetailView(MeetingsMixin, TemplateView):
    """A meeting: its facts, attendees, attachments and every version of its minutes."""

    template_name = "meetings/meeting_detail.html"

    def get_crumb(self, context):
        return context["meeting"].title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = selectors.meeting_get(self.engagement, self.kwargs["pk"])
        versions = list(meeting.minutes_versions.all())
        for version in versions:
            version.transitions = MINUTES_WORKFLOW.available(
                version, self.role,
                url=lambda target, v=version: reverse(
                    "meetings:minutes_transition", args=[self.engagement.pk, v.pk, target]
                ),
            )
        context.update(
            meeting=meeting,
            versions=versions,
            latest=versions[0] if versions else None,
            attendees=list(meeting.attendees.all()),
            attachment_form=AttachmentForm(),
            comment_form=CommentForm(),
            revise_form=ReviseForm(),
            history=history_entries(meeting),
            has_confirmed=any(v.status == MinutesStatus.CONFIRMED for v in versions),
        )
        return context


class MinutesCreateView(MeetingsMixin, View):
    required_action = Action.WRITE_MINUTES

    def post(self, request, *args, **kwargs):
        meeting = self.meeting_or_404(kwargs["pk"])
        try:
            minutes = services.minutes_create(meeting=meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting.get_absolute_url())
        return redirect("meetings:minutes_edit", self.engagement.pk, minutes.pk)


class MinutesEditView(MeetingsMixin, TemplateView):
    """The contractor writes the discussion, decisions and action items of a draft."""

    template_name = "meetings/minutes_form.html"
    crumb = gettext_lazy("Edit the minutes")
    required_action = Action.WRITE_MINUTES

    def get_minutes(self) -> Minutes:
        minutes = self.minutes_or_404(self.kwargs["pk"])
        if not minutes.is_editable():
            raise PermissionDenied(_("These minutes are not with the contractor; they cannot "
                                     "be edited."))
        return minutes

    def get_context_data(self, form=None, decisions=None, items=None, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = self.get_minutes()
        context.update(
            minutes=minutes,
            meeting=minutes.meeting,
            form=form or MinutesForm(initial={"discussion": minutes.discussion,
                                              "next_meeting": minutes.next_meeting},
                                     version=minutes.edit_version),
            decisions=decisions or DecisionFormSet(
                prefix="decisions",
                form_kwargs={"link_choices": linkable_choices(self.engagement)},
                initial=[
                    {"id": d.pk, "text": d.text,
                     "concerns": link_value(d.linked_type_id, d.linked_id)}
                    for d in minutes.decisions.all()
                ],
            ),
            items=items or ActionItemFormSet(
                prefix="items", form_kwargs={"engagement": self.engagement},
                initial=[
                    {"id": i.pk, "description": i.description, "owner": i.owner_id,
                     "owner_name": i.owner_name, "due_date": i.due_date, "status": i.status}
                    for i in minutes.action_items.all()
                ],
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        minutes = self.get_minutes()
        form = MinutesForm(request.POST)
        decisions = DecisionFormSet(
            request.POST, prefix="decisions",
            form_kwargs={"link_choices": linkable_choices(self.engagement)},
        )
        items = ActionItemFormSet(request.POST, prefix="items",
                                  form_kwargs={"engagement": self.engagement})
        if form.is_valid() and decisions.is_valid() and items.is_valid():
            values = {
                "discussion": form.cleaned_data["discussion"],
                "next_meeting": form.cleaned_data["next_meeting"],
                "decisions": formset_rows(decisions), "action_items": formset_rows(items),
                "version": form.cleaned_data.get("version"),
            }
            try:
                if "request_confirmation" in request.POST:
                    services.minutes_save_and_request(minutes=minutes, actor=request.user,
                                                      **values)
                    messages.success(request, _("The minutes were sent to the city for "
                                                "confirmation."))
                    return redirect(minutes.meeting.get_absolute_url())
                services.minutes_update(minutes=minutes, actor=request.user, **values)
                messages.success(request, _("The minutes were saved."))
                return redirect("meetings:minutes_edit", self.engagement.pk, minutes.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(
            self.get_context_data(form=form, decisions=decisions, items=items,
                                  error_summary=error_summary(form, decisions, items))
        )


class MinutesTransitionView(MeetingsMixin, View):
    """Ask for confirmation, confirm or return; the target is in the URL."""

    TARGETS = {
        MinutesStatus.REQUESTED: _("The minutes were sent to the city for confirmation."),
        MinutesStatus.CONFIRMED: _("The minutes were confirmed."),
        MinutesStatus.RETURNED: _("The minutes were returned to the contractor."),
    }

    def get_required_action(self) -> Action:
        action = MINUTES_WORKFLOW.action_for(self.kwargs["target"])
        if action is None:
            raise Http404
        return action

    def post(self, request, *args, **kwargs):
        minutes = self.minutes_or_404(kwargs["pk"])
        form = CommentForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.minutes_transition(minutes=minutes, target=kwargs["target"],
                                        actor=request.user, comment=comment)
            messages.success(request, self.TARGETS[kwargs["target"]])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(minutes.meeting.get_absolute_url())


class MinutesReviseView(MeetingsMixin, View):
    required_action = Action.WRITE_MINUTES

    def post(self, request, *args, **kwargs):
        minutes = self.minutes_or_404(kwargs["pk"])
        form = ReviseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the correction."))
            return redirect(minutes.meeting.get_absolute_url())
        try:
            new = services.minutes_revise(minutes=minutes, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(minutes.meeting.get_absolute_url())
        messages.success(request, _("Version %(version)d was started as a draft.")
                         % {"version": new.version})
        return redirect("meetings:minutes_edit", self.engagement.pk, new.pk)


class MinutesPdfView(MeetingsMixin, View):
    """The minutes as a PDF in the usual Japanese layout."""

    def get(self, request, *args, **kwargs):
        minutes = self.minutes_or_404(kwargs["pk"])
        return file_response(minutes_pdf(minutes), filename=minutes_download_name(minutes),
                             fallback=minutes_filename(minutes))


# --- Action items -----------------------------------------------------------------------------
class ActionItemListView(MeetingsMixin, TemplateView):
    """Action items across the meetings, overdue ones marked."""

    template_name = "meetings/action_items.html"
    crumb = gettext_lazy("Action items")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ActionItemFilterSet(
            self.request.GET or None, queryset=selectors.action_item_list(self.engagement),
            engagement=self.engagement,
        )
        context.update(filter=filterset, items=filterset.qs,
                       status_form=ActionItemStatusForm())
        return context


class ActionItemStatusView(MeetingsMixin, View):
    required_action = Action.WRITE_MINUTES

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(ActionItem, minutes__meeting__engagement=self.engagement,
                                 pk=kwargs["pk"])
        form = ActionItemStatusForm(request.POST)
        if form.is_valid():
            services.action_item_set_status(item=item, status=form.cleaned_data["status"],
                                            actor=request.user)
            messages.success(request, _("The action item was updated."))
        else:
            messages.error(request, _("Choose a status."))
        # Same-host ``next`` only (EngagementMixin.get_return_url).
        return redirect(self.get_return_url(reverse("meetings:action_items",
                                                    args=[self.engagement.pk])))


# --- Approvals --------------------------------------------------------------------------------
class ApprovalListView(MeetingsMixin, TemplateView):
    template_name = "meetings/approval_list.html"
    crumb = gettext_lazy("Approvals and consultations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ApprovalFilterSet(self.request.GET or None,
                                      queryset=selectors.approval_list(self.engagement))
        context.update(filter=filterset, requests=filterset.qs)
        return context


class ApprovalCreateView(MeetingsMixin, TemplateView):
    template_name = "meetings/approval_form.html"
    crumb = gettext_lazy("File a request")
    required_action = Action.REQUEST_APPROVAL

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind")
        context["form"] = form or ApprovalRequestForm(initial={"kind": kind})
        return context

    def post(self, request, *args, **kwargs):
        form = ApprovalRequestForm(request.POST)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                approval = services.approval_request_create(
                    engagement=self.engagement, actor=request.user, **fields
                )
                messages.success(request, _("The request was filed."))
                return redirect(approval.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


class ApprovalDetailView(MeetingsMixin, TemplateView):
    """A request with its answer, attachments and history; city staff decide it here."""

    template_name = "meetings/approval_detail.html"

    def get_crumb(self, context):
        return context["approval"].title

    def get_context_data(self, decision_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        approval = get_object_or_404(
            selectors.approval_list(self.engagement).prefetch_related(
                "attachments", "status_changes__actor"
            ),
            pk=self.kwargs["pk"],
        )
        context.update(
            approval=approval,
            status_history=status_history(approval),
            decision_form=decision_form or ApprovalDecisionForm(),
            comment_form=CommentForm(),
            attachment_form=AttachmentForm(),
            can_attach=self.can(services.attach_action(to_meeting=False)),
            **self.transition_forms(approval),
            history=history_entries(approval),
        )
        return context

    def transition_forms(self, approval) -> dict:
        """Which of the page's two forms to show, from the workflow's table: the decision
        (approve or not) and the withdrawal."""
        choices = APPROVAL_WORKFLOW.available(
            approval, self.role,
            url=lambda _target: reverse("meetings:approval_withdraw",
                                        args=[self.engagement.pk, approval.pk]),
        )
        return {
            "can_decide": any(c.target in APPROVAL_DECISIONS for c in choices),
            "withdraw": next((c for c in choices if c.target == ApprovalStatus.WITHDRAWN), None),
        }

    def post(self, request, *args, **kwargs):
        if not self.can(Action.DECIDE_APPROVAL):
            raise PermissionDenied
        approval = self.approval_or_404(kwargs["pk"])
        form = ApprovalDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.approval_decide(
                    request=approval, actor=request.user, status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                    document_number=form.cleaned_data["document_number"],
                    document_date=form.cleaned_data["document_date"],
                )
                messages.success(request, _("The decision was recorded."))
                return redirect(approval.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(decision_form=form))


class ApprovalWithdrawView(MeetingsMixin, View):
    required_action = Action.REQUEST_APPROVAL

    def post(self, request, *args, **kwargs):
        approval = self.approval_or_404(kwargs["pk"])
        form = CommentForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.approval_withdraw(request=approval, actor=request.user, comment=comment)
            messages.success(request, _("The request was withdrawn."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(approval.get_absolute_url())


# --- Proposals and information ----------------------------------------------------------------
class SuggestionListView(MeetingsMixin, TemplateView):
    """The log of the contractor's own proposals and information, with the city's responses."""

    template_name = "meetings/suggestion_list.html"
    crumb = gettext_lazy("Proposals and information")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            suggestions=selectors.suggestion_list(self.engagement),
            form=form or SuggestionForm(),
            response_form=SuggestionResponseForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can(Action.REQUEST_APPROVAL):
            raise PermissionDenied
        form = SuggestionForm(request.POST)
        if form.is_valid():
            try:
                services.suggestion_create(engagement=self.engagement, actor=request.user,
                                           **form.cleaned_data)
                messages.success(request, _("The entry was added to the log."))
                return redirect("meetings:suggestions", self.engagement.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


class SuggestionRespondView(MeetingsMixin, View):
    required_action = Action.DECIDE_APPROVAL

    def post(self, request, *args, **kwargs):
        suggestion = get_object_or_404(Suggestion, engagement=self.engagement, pk=kwargs["pk"])
        form = SuggestionResponseForm(request.POST)
        if form.is_valid():
            services.suggestion_respond(suggestion=suggestion, actor=request.user,
                                        response=form.cleaned_data["response"])
            messages.success(request, _("The response was recorded."))
        else:
            messages.error(request, _("Write the city's response."))
        return redirect("meetings:suggestions", self.engagement.pk)


# --- Attachments ------------------------------------------------------------------------------
class AttachmentUploadView(MeetingsMixin, View):
    """Attach a file to a meeting (``kind`` "meeting") or an approval request ("approval")."""

    def get_required_action(self) -> Action:
        return services.attach_action(to_meeting=self.kwargs["kind"] == "meeting")

    def post(self, request, *args, **kwargs):
        if kwargs["kind"] == "meeting":
            owner = self.meeting_or_404(kwargs["pk"])
            target = {"meeting": owner}
        else:
            owner = self.approval_or_404(kwargs["pk"])
            target = {"approval": owner}
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = form.errors.get("file")
            if errors and "file" in request.FILES:
                messages.error(request, " ".join(errors))
            else:
                messages.error(request, _("Choose a file to attach."))
            return redirect(owner.get_absolute_url())
        try:
            services.attachment_add(actor=request.user, upload=form.cleaned_data["file"],
                                    description=form.cleaned_data["description"], **target)
            messages.success(request, _("The file was attached."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(owner.get_absolute_url())


class AttachmentDownloadView(MeetingsMixin, View):
    """Files are served only to members of the engagement, never from a public URL."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(Attachment, engagement=self.engagement, pk=kwargs["pk"])
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return upload_response(handle, attachment.file.name,
                               download_name=attachment.original_name,
                               fallback=f"attachment-{attachment.pk}"
                                        f"{PurePosixPath(attachment.original_name).suffix}",
                               as_attachment=True)
