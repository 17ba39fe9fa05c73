"""Forms of the meetings app. They validate input only; the rules are in services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import InputBoundsMixin
from engagements.uploads import ATTACHMENT_KINDS, UploadValidator

from .choices import ActionItemStatus, ApprovalKind, ApprovalStatus, Venue, WorkItem
from .links import parse_link
from .models import ApprovalRequest, Meeting, Suggestion

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name}".strip() or obj.username


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name}".strip() or obj.username


def engagement_users(engagement):
    """The engagement's current members (an ended membership is no longer offered)."""
    return get_user_model().objects.filter(
        memberships__engagement=engagement, memberships__is_active=True
    ).order_by(
        "memberships__role", "last_name", "username"
    )


class MeetingForm(VersionFormMixin, InputBoundsMixin, forms.ModelForm):
    members = MembersField(
        label=_("Attending members"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "venue", "place", "web_tool",
                  "web_app_approval", "agenda"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "venue": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = engagement_users(engagement)
        self.fields["starts_at"].input_formats = [DATETIME_FORMAT]
        self.fields["ends_at"].input_formats = [DATETIME_FORMAT]
        self.fields["web_app_approval"].queryset = ApprovalRequest.objects.filter(
            engagement=engagement, kind=ApprovalKind.WEB_APP, status=ApprovalStatus.APPROVED
        )
        self.fields["venue"].choices = Venue.choices
        if self.instance.pk:
            self.fields["members"].initial = [
                a.user_id for a in self.instance.attendees.all() if a.user_id
            ]


class GuestForm(InputBoundsMixin, forms.Form):
    name = forms.CharField(label=_("Guest's name"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


GuestFormSet = forms.formset_factory(GuestForm, extra=2)


class MinutesForm(VersionFormMixin, InputBoundsMixin, forms.Form):
    discussion = forms.CharField(label=_("Discussion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 8}))
    next_meeting = forms.CharField(label=_("Next meeting"), max_length=300, required=False)


class DecisionForm(InputBoundsMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    concerns = forms.ChoiceField(label=_("Concerns"), required=False)

    def __init__(self, *args, link_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [("", _("(nothing in particular)")), *link_choices]

    def clean(self):
        cleaned = super().clean()
        # The service and Decision.clean() check the link belongs to this engagement.
        cleaned["linked_type"], cleaned["linked_id"] = parse_link(cleaned.get("concerns", ""))
        return cleaned


class ActionItemForm(InputBoundsMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = MemberChoiceField(label=_("Owner"), queryset=None, required=False)
    owner_name = forms.CharField(label=_("Owner (other)"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices,
                               initial=ActionItemStatus.OPEN)

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = engagement_users(engagement)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description") and not cleaned.get("owner") and not (
            cleaned.get("owner_name") or ""
        ).strip():
            self.add_error("owner", _("Name the owner of the action item."))
        return cleaned


DecisionFormSet = forms.formset_factory(DecisionForm, extra=2, can_delete=True)
ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=2, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """The filled, not deleted rows of a valid formset, as dicts for a service."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {k: v for k, v in data.items() if k != "DELETE"}
        if not row.get("id"):
            row.pop("id", None)
        rows.append(row)
    return rows


class CommentForm(InputBoundsMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReviseForm(InputBoundsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class ApprovalRequestForm(InputBoundsMixin, forms.ModelForm):
    work_items = forms.MultipleChoiceField(
        label=_("Part of the work to be subcontracted"), choices=WorkItem.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Subcontracting the whole work (一括再委託) is not approved."),
    )

    class Meta:
        model = ApprovalRequest
        fields = ["kind", "title", "details", "subcontractor", "work_items", "reason",
                  "app_name", "cost_yen"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }


class ApprovalDecisionForm(InputBoundsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Approve or not"), widget=forms.RadioSelect,
        choices=[(ApprovalStatus.APPROVED, ApprovalStatus.APPROVED.label),
                 (ApprovalStatus.REJECTED, ApprovalStatus.REJECTED.label)],
    )
    document_number = forms.CharField(label=_("City's document number"), max_length=50,
                                      required=False, help_text=_("e.g. 京地自第123号"))
    document_date = forms.DateField(label=_("Date of the city's document"), required=False,
                                    widget=DateInput())
    comment = forms.CharField(label=_("City's answer"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class SuggestionForm(InputBoundsMixin, forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class SuggestionResponseForm(InputBoundsMixin, forms.Form):
    response = forms.CharField(label=_("City's response"),
                               widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(InputBoundsMixin, forms.Form):
    file = forms.FileField(label=_("File"), validators=[UploadValidator(*ATTACHMENT_KINDS)])
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ActionItemStatusForm(InputBoundsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
