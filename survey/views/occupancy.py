"""Occupancy study pages: studies and their rounds, the tablet round screen, the analysis."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from engagements.forms import add_service_errors
from engagements.history import history_entries
from engagements.permissions import Action
from engagements.templatetags.japanese import era_date
from engagements.views import Crumb, EngagementMixin

from .. import round_screen
from ..forms.occupancy import RoundGenerateForm, RoundRecordForm, StudyForm
from ..models.occupancy import OccupancyRound
from ..occupancy_svg import heat_legend
from ..selectors import occupancy as sel
from ..services.occupancy import (
    occupancy_round_record,
    occupancy_rounds_generate,
    occupancy_study_create,
    occupancy_study_update,
    round_times,
    working_days,
)

DESK_FIELD = re.compile(r"^desk_(\d+)$")
# On the round screen a 1000 mm desk is drawn about 100 px wide: a comfortable tap target.


def study_url(study) -> str:
    return reverse(
        "survey:occupancy_study",
        kwargs={"engagement_pk": study.engagement_id, "study_pk": study.pk},
    )


class OccupancyMixin(EngagementMixin):
    stage = "survey"

    def get_parent_crumbs(self, context):
        crumbs = [Crumb(_("Occupancy study"), self.engagement_url("survey:occupancy_index"))]
        study = context.get("study")
        if study is not None and self.get_crumb(context) != study.name:
            crumbs.append(Crumb(study.name, self.engagement_url("survey:occupancy_study",
                                                                study.pk)))
        return crumbs

    def get_study(self):
        return get_object_or_404(
            sel.OccupancyStudy, engagement=self.engagement, pk=self.kwargs["study_pk"]
        )


class OccupancyIndexView(OccupancyMixin, TemplateView):
    template_name = "survey/occupancy/index.html"
    crumb = _("Occupancy study")

    def get_parent_crumbs(self, context):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["studies"] = sel.study_list(self.engagement)
        return context


class StudyFormView(OccupancyMixin, FormView):
    """Create a study, or change its settings (with ``study_pk``)."""

    required_action = Action.EDIT_SURVEY
    template_name = "survey/occupancy/study_form.html"

    def get_crumb(self, context):
        return str(_("Settings") if context.get("study") else _("New"))
    form_class = StudyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["engagement"] = self.engagement
        self.study = self.get_study() if "study_pk" in self.kwargs else None
        if self.study is not None:
            kwargs["instance"] = self.study
        else:
            kwargs["initial"] = {"name": _("Occupancy study")}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which sets self.study
        context["study"] = self.study
        return context

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.study is None:
                study = occupancy_study_create(
                    engagement=self.engagement, actor=self.request.user, **fields
                )
                messages.success(self.request, _("The occupancy study was created."))
            else:
                study = occupancy_study_update(study=self.study, actor=self.request.user,
                                               version=form.cleaned_data.get("version"),
                                               **fields)
                messages.success(self.request, _("The settings were saved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(study_url(study))


class StudyDetailView(OccupancyMixin, TemplateView):
    template_name = "survey/occupancy/study_detail.html"

    def get_crumb(self, context):
        return context["study"].name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = self.get_study()
        context.update(
            study=study,
            days=sel.study_rounds(study),
            history=history_entries(study),
            generate_form=RoundGenerateForm(),
        )
        return context


class RoundGenerateView(OccupancyMixin, View):
    required_action = Action.EDIT_SURVEY

    def post(self, request, *args, **kwargs):
        study = self.get_study()
        form = RoundGenerateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            skipped = []
            try:
                created = occupancy_rounds_generate(
                    study=study,
                    dates=working_days(data["start_date"], data["days"], skipped=skipped),
                    times=round_times(data["first_time"], data["last_time"],
                                      data["interval_minutes"]),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("%(count)s rounds were planned.") % {"count": len(created)}
                )
                if skipped:
                    messages.info(request, _("Days the office is closed were left out: %(days)s.")
                                  % {"days": "、".join(f"{era_date(day)}（{reason}）"
                                                      for day, reason in skipped)})
                return redirect(study_url(study))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(study_url(study))


class RoundView(OccupancyMixin, FormView):
    """One round: the tablet screen for city staff (GET shows, POST saves the whole round);
    members of the other roles see the round read-only."""

    template_name = "survey/occupancy/round.html"

    def get_crumb(self, context):
        round_obj = context["round"]
        time = f" {round_obj.time:%H:%M}" if round_obj.time else ""
        return f"{era_date(round_obj.date)}{time}"
    form_class = RoundRecordForm

    def get_required_action(self):
        return Action.EDIT_SURVEY if self.request.method == "POST" else Action.VIEW

    def get_round(self) -> OccupancyRound:
        if not hasattr(self, "_round"):
            self._round = get_object_or_404(
                OccupancyRound.objects.select_related("study", "recorded_by"),
                study__engagement=self.engagement,
                study_id=self.kwargs["study_pk"],
                pk=self.kwargs["round_pk"],
            )
        return self._round

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.desks, self.floor_pages = round_screen.floor_pages(
            self.get_round().study, self.request.GET.get("floor"))
        self.states = sel.round_states(self.get_round())
        kwargs.update(desks=self.desks, states=self.states,
                      versions=sel.round_versions(self.get_round(),
                                                  [d.pk for d in self.desks]))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_obj = self.get_round()
        form = context["form"]
        if form.is_bound:
            current = {d.pk: form.data.get(f"desk_{d.pk}", "") for d in self.desks}
        else:
            current = {d.pk: self.states.get(d.pk, "") for d in self.desks}
        editable = self.can(Action.EDIT_SURVEY)
        context["desk_rows"] = round_screen.desk_rows(form, current, editable=editable)
        context["floor_pages"] = self.floor_pages
        context.update(
            sel.round_screen(round_obj, self.desks, current, editable=editable),
            history=history_entries(round_obj),
        )
        return context

    def form_valid(self, form):
        states = form.states()
        # Desks posted that are not on this engagement's plan go to the service, which
        # refuses them: nothing of the round is saved then.
        for key, value in self.request.POST.items():
            match = DESK_FIELD.match(key)
            if match and key not in form.fields and value:
                states[int(match.group(1))] = value
        try:
            result = occupancy_round_record(
                round=self.get_round(), states=states, actor=self.request.user,
                versions=form.cleaned_data.get("versions"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            messages.error(self.request, _("Nothing was saved. Check the desks marked below."))
            return self.form_invalid(form)
        if result.changed:
            messages.success(
                self.request,
                _("The round was saved (%(created)s recorded, %(changed)s corrected).")
                % {"created": result.created, "changed": result.changed},
            )
        else:
            messages.success(
                self.request,
                _("The round was saved (%(created)s recorded).") % {"created": result.created},
            )
        return redirect(self.request.get_full_path())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AnalysisView(OccupancyMixin, TemplateView):
    template_name = "survey/occupancy/analysis.html"
    crumb = _("Analysis")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = self.get_study()
        analysis = sel.study_analysis(study)
        context.update(
            analysis,
            charts=sel.analysis_charts(analysis),
            heat_maps=sel.heat_maps(analysis),
            legend=heat_legend(title=str(_("Average occupancy"))),
        )
        return context
