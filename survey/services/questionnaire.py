"""Writes to the staff questionnaire: waves and their status, and anonymous answers."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from engagements.models import Engagement, Organisation
from engagements.permissions import Action, require_member
from engagements.services import set_history_actor

from ..models.questionnaire import (
    SCORE_FIELDS,
    QuestionnaireResponse,
    QuestionnaireWave,
)
from ..selectors.questionnaire import questionnaire_sections
from ..workflows import WAVE_WORKFLOW


@transaction.atomic
def questionnaire_wave_create(
    *,
    engagement: Engagement,
    kind: str,
    actor: AbstractBaseUser,
    planned_start=None,
    planned_end=None,
    note: str = "",
) -> QuestionnaireWave:
    """Create the engagement's before or after wave (one of each kind), in preparation."""
    require_member(actor, engagement, Action.EDIT_SURVEY)
    wave = QuestionnaireWave(
        engagement=engagement,
        kind=kind,
        planned_start=planned_start,
        planned_end=planned_end,
        note=note,
    )
    wave.full_clean()
    set_history_actor(wave, actor)
    wave.save()
    return wave


@transaction.atomic
def questionnaire_wave_transition(
    *, wave: QuestionnaireWave, target: str, actor: AbstractBaseUser, note: str = ""
) -> QuestionnaireWave:
    """Open or close a wave (``survey/workflows.py``): one status-change row, ``note`` as its
    comment and as the reason on the history row."""
    return WAVE_WORKFLOW.apply(wave, target, actor=actor, comment=note)


@transaction.atomic
def questionnaire_response_submit(
    *,
    wave: QuestionnaireWave,
    answers: dict[str, int],
    actor: AbstractBaseUser,
    section: Organisation | None = None,
    comment: str = "",
) -> QuestionnaireResponse:
    """Store one anonymous response in an open wave.

    ``actor`` is the city-staff member whose session the form runs in (the tablet is handed
    from colleague to colleague); it is checked for the permission and then not stored.
    ``section`` must be one of the engagement's sections, or None (not stated).
    """
    wave = QuestionnaireWave.objects.select_for_update().get(pk=wave.pk)
    require_member(actor, wave.engagement_id, Action.EDIT_SURVEY)
    if not wave.can_answer():
        raise ValidationError(_("This wave is not open for answers."))
    if section is not None and section.pk not in {s.pk for s in questionnaire_sections(
        wave.engagement
    )}:
        raise ValidationError({"section": _("Choose one of the sections of this engagement.")})
    missing = [name for name in SCORE_FIELDS if name not in answers]
    if missing:
        raise ValidationError(_("Every question needs an answer from 1 to 5."))
    response = QuestionnaireResponse(
        wave=wave,
        section=section,
        comment=comment.strip(),
        **{name: answers[name] for name in SCORE_FIELDS},
    )
    response.full_clean()
    response.save()
    return response
