"""Staff questionnaire pages: the waves and their results, and the answer form.

The answer form runs in a city-staff member's session on a tablet handed from colleague to
colleague: after each answer it shows a thank-you screen and starts a blank form for the next
person. Nothing of the answer is kept in the session or in a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from engagements.forms import add_service_errors
from engagements.history import history_entries
from engagements.permissions import Action
from engagements.views import Crumb, EngagementMixin

from ..forms.questionnaire import (
    KioskExitForm,
    KioskStartForm,
    QuestionnaireAnswerForm,
    WaveCreateForm,
    WaveTransitionForm,
)
from ..kiosk import ExitOutcome, kiosk_of, kiosk_start, kiosk_try_exit
from ..models.questionnaire import QuestionnaireWave, WaveKind
from ..selectors.questionnaire import (
    SUPPRESSED_MESSAGE,
    questionnaire_overview,
    questionnaire_sections,
    wave_charts,
    wave_result,
)
from ..services.questionnaire import (
    questionnaire_response_submit,
    questionnaire_wave_create,
    questionnaire_wave_transition,
)
from ..workflows import WAVE_WORKFLOW


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


class QuestionnaireMixin(EngagementMixin):
    stage = "survey"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Staff questionnaire"), self.engagement_url("survey:questionnaire_index"))]

    def get_crumb(self, context):
        wave = context.get("wave")
        return str(wave.get_kind_display()) if wave is not None else str(self.crumb)

    def get_wave(self) -> QuestionnaireWave:
        if not hasattr(self, "_wave"):
            self._wave = get_object_or_404(
                QuestionnaireWave, engagement=self.engagement, pk=self.kwargs["wave_pk"]
            )
        return self._wave


class QuestionnaireIndexView(QuestionnaireMixin, TemplateView):
    template_name = "survey/questionnaire/index.html"
    crumb = _("Staff questionnaire")

    def get_parent_crumbs(self, context):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(questionnaire_overview(self.engagement))
        existing = {w["result"].wave.kind for w in context["waves"]}
        if self.can(Action.EDIT_SURVEY) and len(existing) < len(WaveKind.values):
            context["create_form"] = WaveCreateForm(existing_kinds=existing)
        return context


class WaveCreateView(QuestionnaireMixin, FormView):
    required_action = Action.EDIT_SURVEY
    template_name = "survey/questionnaire/wave_form.html"
    crumb = _("Create a wave")
    form_class = WaveCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["existing_kinds"] = set(
            self.engagement.questionnaire_waves.values_list("kind", flat=True)
        )
        return kwargs

    def form_valid(self, form):
        try:
            wave = questionnaire_wave_create(
                engagement=self.engagement, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The questionnaire wave was created."))
        return redirect(wave_url(wave))


def wave_url(wave: QuestionnaireWave) -> str:
    return reverse(
        "survey:questionnaire_wave",
        kwargs={"engagement_pk": wave.engagement_id, "wave_pk": wave.pk},
    )


class WaveDetailView(QuestionnaireMixin, TemplateView):
    template_name = "survey/questionnaire/wave_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wave = self.get_wave()
        result = wave_result(wave)
        context.update(
            wave=wave,
            result=result,
            charts=wave_charts(result),
            history=history_entries(wave),
            suppressed_message=SUPPRESSED_MESSAGE,
            transitions=WAVE_WORKFLOW.available(
                wave, self.role,
                url=lambda _target: reverse("survey:questionnaire_wave_transition",
                                            args=[self.engagement.pk, wave.pk]),
            ),
        )
        return context


class WaveTransitionView(QuestionnaireMixin, View):
    required_action = Action.EDIT_SURVEY

    def post(self, request, *args, **kwargs):
        wave = self.get_wave()
        form = WaveTransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a status."))
            return redirect(wave_url(wave))
        try:
            questionnaire_wave_transition(
                wave=wave, target=form.cleaned_data["target"], actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The status of the wave was changed."))
        return redirect(wave_url(wave))


def _kiosk_url(wave: QuestionnaireWave, name: str) -> str:
    return reverse(
        f"survey:questionnaire_{name}",
        kwargs={"engagement_pk": wave.engagement_id, "wave_pk": wave.pk},
    )


class KioskStartView(QuestionnaireMixin, FormView):
    """The clerk starts the kiosk for an open wave, optionally with a PIN for leaving it."""

    required_action = Action.EDIT_SURVEY
    template_name = "survey/questionnaire/kiosk_start.html"
    form_class = KioskStartForm
    crumb = _("Start the kiosk")

    def get_parent_crumbs(self, context):
        wave = context["wave"]
        return [*super().get_parent_crumbs(context),
                Crumb(str(wave.get_kind_display()), wave_url(wave))]

    def get_crumb(self, context):
        return str(self.crumb)

    def get_context_data(self, **kwargs):
        return super().get_context_data(wave=self.get_wave(), **kwargs)

    def get(self, request, *args, **kwargs):
        wave = self.get_wave()
        if not wave.can_answer():
            messages.error(request, _("This wave is not open for answers."))
            return redirect(wave_url(wave))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        wave = self.get_wave()
        if not wave.can_answer():
            messages.error(self.request, _("This wave is not open for answers."))
            return redirect(wave_url(wave))
        kiosk_start(
            self.request, engagement_pk=self.engagement.pk, wave_pk=wave.pk,
            pin=form.cleaned_data["pin"],
        )
        return redirect(_kiosk_url(wave, "answer"))


@method_decorator(never_cache, name="dispatch")
class AnswerView(QuestionnaireMixin, FormView):
    """The answer form for one colleague, shown in the kiosk (see ``survey/kiosk.py``)."""

    required_action = Action.EDIT_SURVEY
    template_name = "survey/questionnaire/answer.html"
    form_class = QuestionnaireAnswerForm

    def dispatch(self, request, *args, **kwargs):
        kiosk = kiosk_of(request)
        self.in_kiosk = kiosk is not None and (kiosk.engagement_pk, kiosk.wave_pk) == (
            kwargs["engagement_pk"], kwargs["wave_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sections"] = questionnaire_sections(self.engagement)
        return kwargs

    def get_context_data(self, **kwargs):
        wave = self.get_wave()
        return super().get_context_data(
            wave=wave, exit_url=_kiosk_url(wave, "kiosk_exit"), **kwargs
        )

    def get(self, request, *args, **kwargs):
        wave = self.get_wave()
        if not self.in_kiosk:
            return redirect(_kiosk_url(wave, "kiosk_start"))
        if not wave.can_answer():
            # The kiosk stays in place; it says so instead of leading anywhere.
            return self.render_to_response(self.get_context_data(closed=True))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.in_kiosk:
            return redirect(_kiosk_url(self.get_wave(), "kiosk_start"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            questionnaire_response_submit(
                wave=self.get_wave(),
                answers=form.answers(),
                section=form.chosen_section(),
                comment=form.cleaned_data["comment"],
                actor=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(_kiosk_url(self.get_wave(), "thanks"))


@method_decorator(never_cache, name="dispatch")
class ThanksView(QuestionnaireMixin, TemplateView):
    required_action = Action.EDIT_SURVEY
    template_name = "survey/questionnaire/thanks.html"

    def get(self, request, *args, **kwargs):
        if kiosk_of(request) is None:
            return redirect(wave_url(self.get_wave()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        wave = self.get_wave()
        return super().get_context_data(
            wave=wave, exit_url=_kiosk_url(wave, "kiosk_exit"), **kwargs
        )


@method_decorator(never_cache, name="dispatch")
class KioskExitView(QuestionnaireMixin, FormView):
    """The clerk ends the kiosk with their password or the PIN set when it started."""

    required_action = Action.EDIT_SURVEY
    template_name = "survey/questionnaire/kiosk_exit.html"
    form_class = KioskExitForm

    def get(self, request, *args, **kwargs):
        if kiosk_of(request) is None:
            return redirect(wave_url(self.get_wave()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        wave = self.get_wave()
        kiosk = kiosk_of(self.request)
        return super().get_context_data(
            wave=wave, answer_url=_kiosk_url(wave, "answer"),
            pin_usable=kiosk is not None and kiosk.pin_usable, **kwargs
        )

    def form_valid(self, form):
        outcome = kiosk_try_exit(self.request, form.cleaned_data["secret"])
        if outcome is ExitOutcome.LOCKED:
            locked_until = timezone.localtime(kiosk_of(self.request).locked_until)
            form.add_error("secret", _(
                "Too many wrong entries: the kiosk cannot be ended until %(time)s."
            ) % {"time": locked_until.strftime("%H:%M")})
            return self.form_invalid(form)
        if outcome is ExitOutcome.WRONG:
            form.add_error("secret", _("The password or PIN is not correct."))
            return self.form_invalid(form)
        messages.success(self.request, _("The kiosk was ended."))
        return redirect(wave_url(self.get_wave()))
