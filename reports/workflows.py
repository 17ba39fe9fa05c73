"""The status machine of a submitted report version, on the shared ``engagements.workflow``.

提出 (submitted) → 受理 (accepted) or 差戻し (returned, with the city's comments). A version is
never edited: a returned version stays as it was and the contractor submits a new one.
"""

from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .models import ReportVersion, ReportVersionStatusChange, VersionStatus

VERSION_WORKFLOW = Workflow(
    model=ReportVersion,
    log_model=ReportVersionStatusChange,
    log_fk="version",
    transitions={
        (VersionStatus.SUBMITTED, VersionStatus.ACCEPTED): Transition(
            Action.DECIDE_REPORT, _("Accept"), style="success"),
        (VersionStatus.SUBMITTED, VersionStatus.RETURNED): Transition(
            Action.DECIDE_REPORT, _("Return with comments"), comment_required=True,
            style="danger"),
    },
)

