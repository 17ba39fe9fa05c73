"""The status machine of a questionnaire wave, on the shared ``engagements.workflow``.

準備中 → 回答受付中 → 締切, and a closed wave may be reopened. City staff run it.
"""

from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .models.questionnaire import QuestionnaireWave, WaveStatus, WaveStatusChange

WAVE_WORKFLOW = Workflow(
    model=QuestionnaireWave,
    log_model=WaveStatusChange,
    log_fk="wave",
    transitions={
        (WaveStatus.PREPARING, WaveStatus.OPEN): Transition(
            Action.EDIT_SURVEY, _("Start taking answers"), style="primary",
        ),
        (WaveStatus.OPEN, WaveStatus.CLOSED): Transition(
            Action.EDIT_SURVEY, _("Close the wave"), style="outline-secondary",
        ),
        (WaveStatus.CLOSED, WaveStatus.OPEN): Transition(
            Action.EDIT_SURVEY, _("Reopen for answers"), style="outline-secondary",
        ),
    },
)
