"""Choices of the proposals stage; the allowed status transitions sit beside the statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagements.badges import badge_colours


class AlternativeStatus(models.TextChoices):
    """Workflow of one alternative: 下書き → 提出 → 差戻し (→ 提出 …) or 承認."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


badge_colours(AlternativeStatus, {
    AlternativeStatus.DRAFT: "secondary", AlternativeStatus.SUBMITTED: "primary",
    AlternativeStatus.RETURNED: "warning", AlternativeStatus.APPROVED: "success",
})

# The transitions (an approved alternative is frozen: no way out) are in
# ``proposals/workflows.py``.

# Only these statuses may be edited by the contractor (layout, texts, works).
EDITABLE_STATUSES = frozenset({AlternativeStatus.DRAFT, AlternativeStatus.RETURNED})


class CatalogueKind(models.TextChoices):
    DESK = "desk", _("Desk")
    FREE_ADDRESS_TABLE = "free_address_table", _("Free-address table")
    CHAIR = "chair", _("Chair")
    BOOTH = "booth", _("Booth")
    CABINET = "cabinet", _("Cabinet")
    LOCKER = "locker", _("Locker")
    PARTITION = "partition", _("Partition")
    OTHER = "other", _("Other")


# Kinds whose seats count as work seats; booths' seats count as booth places.
WORK_SEAT_KINDS = frozenset({CatalogueKind.DESK, CatalogueKind.FREE_ADDRESS_TABLE})
DESK_AREA_KINDS = WORK_SEAT_KINDS


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("Standard rate")
    NON_TAXABLE = "non_taxable", _("Not taxable")


class LayoutAction(models.TextChoices):
    """What happens to an item of the layout. Survey items are kept, moved or removed."""

    KEEP = "keep", _("Keep")
    MOVE = "move", _("Move")
    REMOVE = "remove", _("Remove")
    NEW = "new", _("New")


class ZoneKind(models.TextChoices):
    FOCUS_BOOTH = "focus_booth", _("Focus booth")
    WEB_BOOTH = "web_booth", _("Web meeting booth")
    BOOTH_SEATING = "booth_seating", _("Booth seating")
    STANDING = "standing", _("Standing meeting")
    COLLABORATION = "collaboration", _("Collaboration space")
    STORAGE = "storage", _("Storage")


class SurveyFinding(models.TextChoices):
    """The survey finding a section of the proposal answers; each has a survey page."""

    DOCUMENT_VOLUME = "document_volume", _("Document volume")
    OCCUPANCY = "occupancy", _("Seat occupancy")
    QUESTIONNAIRE = "questionnaire", _("Staff questionnaire")
    DESKS = "desks", _("Desks and their surroundings")
    STORAGE = "storage", _("Storage")


# The survey list page of each finding; ``selectors.finding_urls`` goes to the study analysis or
# the questionnaire results themselves once they exist.
FINDING_URLS = {
    SurveyFinding.DOCUMENT_VOLUME: "survey:analysis",
    SurveyFinding.OCCUPANCY: "survey:occupancy_index",
    SurveyFinding.QUESTIONNAIRE: "survey:questionnaire_index",
    SurveyFinding.DESKS: "survey:desk_list",
    SurveyFinding.STORAGE: "survey:storage_list",
}


class WorkListKind(models.TextChoices):
    PROCURE = "procure", _("Procure")
    DISPOSE = "dispose", _("Dispose or transfer")
