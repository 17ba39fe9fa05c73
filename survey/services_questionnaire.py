"""Writes to the staff questionnaire: waves and their status, and anonymous answers."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from engagements.models import Engagement, Organisation
from engagements.permissions import Action, require
from engagements.services import set_history_actor

from .models.questionnaire import (
    SCORE_FIELDS,
    WAVE_TRANSITIONS,
    QuestionnaireResponse,
    QuestionnaireWave,
    WaveStatus,
)
from .selectors_questionnaire import questionnaire_sections


def _role(engagement: Engagement, actor: AbstractBaseUser) -> str | None:
    membership = engagement.memberships.filter(user=actor).first()
    return membership.role if membership else None


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
    require(_role(engagement, actor), Action.EDIT_SURVEY)
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
    """Open or close a wave. Allowed: preparing → open → closed, and closed → open again.

    The history row of the change names the actor and carries ``note`` as its reason.
    """
    wave = QuestionnaireWave.objects.select_for_update().get(pk=wave.pk)
    require(_role(wave.engagement, actor), Action.EDIT_SURVEY)
    if target not in WAVE_TRANSITIONS.get(wave.status, frozenset()):
        raise ValidationError(
            _("A wave that is “%(source)s” cannot become “%(target)s”.")
            % {
                "source": WaveStatus(wave.status).label,
                "target": WaveStatus(target).label if target in WaveStatus.values else target,
            }
        )
    wave.status = target
    wave.full_clean()
    set_history_actor(wave, actor)
    if note:
        wave._change_reason = note
    wave.save(update_fields=["status"])
    return wave


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
    require(_role(wave.engagement, actor), Action.EDIT_SURVEY)
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
