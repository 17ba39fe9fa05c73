"""Floors, desks, storage units, furniture, rooms, headcounts and photos."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from engagements.fragments import cached_fragment
from engagements.history import history_entries
from engagements.input_guard import as_id
from engagements.jsonshape import (
    Int,
    ListOf,
    Num,
    Obj,
    ShapeError,
    Str,
    json_error,
    parse_json_request,
)
from engagements.permissions import Action
from engagements.views import Crumb

from .. import selectors, services
from ..choices import Disposition
from ..filtersets import DeskFilterSet, StorageUnitFilterSet
from ..forms import (
    DeskForm,
    FloorForm,
    FurnitureForm,
    PhotoForm,
    RoomForm,
    StaffingForm,
    StorageUnitForm,
)
from ..models import Desk, Floor, Furniture, Photo, Room, SectionStaffing, StorageUnit
from .base import SurveyMixin, apply_service_errors, object_in_engagement

PAGE_SIZE = 50


def _model_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}


# --- Floors ------------------------------------------------------------------------------------


class FloorFormView(SurveyMixin, FormView):
    template_name = "survey/floor_form.html"

    def get_crumb(self, context):
        return context["object"].name if context.get("object") else _("Add a floor")
    form_class = FloorForm

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return object_in_engagement(Floor, self.engagement, self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = self.get_object()
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        values = _model_values(form)
        image = values.get("plan_image")
        if image is False:  # "clear" ticked: back to an outline plan
            values["plan_image"] = ""
        elif image is None:
            values.pop("plan_image", None)
        try:
            if self.object is None:
                floor = services.floor_create(
                    engagement=self.engagement, actor=self.request.user, **values
                )
            else:
                floor = services.floor_update(
                    floor=self.object, actor=self.request.user,
                    version=form.cleaned_data.get("version"), **values
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The floor %(name)s was saved.") % {"name": floor})
        return redirect("survey:floor_plan", engagement_pk=self.engagement.pk, pk=floor.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        if self.object is not None:
            context["history"] = history_entries(self.object)
        return context


class FloorPlanView(SurveyMixin, TemplateView):
    """The plan editor: drag, turn and nudge items, undo, then save the floor's changes."""

    template_name = "survey/floor_plan.html"

    def get_crumb(self, context):
        return context["floor"].name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        floor = object_in_engagement(Floor, self.engagement, self.kwargs["pk"])
        context["floor"] = floor
        context["floors"] = self.floors()
        context["plan"] = selectors.floor_plan(floor, interactive=True)
        context["selected_item"] = self.request.GET.get("item", "")
        context["messages_js"] = {
            "none": _("Select an item on the plan."),
            "saving": _("Saving…"),
            "saved": _("Saved."),
            "failed": _("Not saved:"),
            "unsaved": _("Changes not saved yet."),
            "nothing": _("No changes to save."),
            "position": _("%(item)s: X %(x)s mm, Y %(y)s mm, turned %(r)s°"),
            "overlap": _("%(a)s and %(b)s overlap."),
            "noWarnings": _("No overlaps."),
            "leaveWarning": _("The plan has unsaved changes."),
        }
        context["rooms"] = Room.objects.filter(floor=floor)
        # The editor puts the item's pk in place of __pk__.
        context["edit_urls"] = json.dumps({
            kind: self.pk_pattern(f"survey:{name}_update")
            for kind, name in (("desk", "desk"), ("storage", "storage"),
                               ("furniture", "furniture"), ("room", "room"))
        })
        return context

    def pk_pattern(self, name: str, *args) -> str:
        return self.engagement_url(name, *args, 0).removesuffix("/0/") + "/__pk__/"


class PlacementMoveView(SurveyMixin, FormView):
    """JSON endpoint of the plan editor: POST x_mm, y_mm, rotation_deg for one item."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        model = services.PLACED_MODELS.get(kwargs["kind"])
        if model is None:
            raise Http404
        item = get_object_or_404(
            model.objects.filter(engagement=self.engagement), pk=kwargs["pk"]
        )
        try:
            placement = services.placement_move(
                item=item,
                x_mm=request.POST.get("x_mm"),
                y_mm=request.POST.get("y_mm"),
                rotation_deg=request.POST.get("rotation_deg", item.rotation_deg),
                actor=request.user,
            )
        except ValidationError as exc:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
        return JsonResponse(
            {
                "ok": True,
                "x_mm": placement.x_mm,
                "y_mm": placement.y_mm,
                "rotation_deg": placement.rotation_deg,
            }
        )


# What the plan editor's 保存 sends (static/survey/plan_editor.js); the service checks the rest.
PLAN_SAVE_SHAPE = Obj({"items": ListOf(Obj(
    {"kind": Str(30), "pk": Int(), "x": Num(), "y": Num(), "r": Num(-3600, 3600)},
    required=frozenset({"kind", "pk", "x", "y"}), ignore_unknown=True), 5000)},
    required=frozenset({"items"}), ignore_unknown=True)


class PlacementSaveView(SurveyMixin, FormView):
    """JSON endpoint of the plan editor's 保存: ``{"items": [{kind, pk, x, y, r}, ...]}`` for
    one floor, saved all or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        floor = object_in_engagement(Floor, self.engagement, kwargs["pk"])
        try:
            payload = parse_json_request(request, PLAN_SAVE_SHAPE)
        except ShapeError as exc:
            return json_error(exc, _("The plan could not be read."))
        try:
            saved = services.placements_save(
                engagement=self.engagement, floor=floor, moves=payload["items"],
                actor=request.user,
            )
        except ValidationError as exc:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
        return JsonResponse({"ok": True, "items": [
            {"kind": p.kind, "pk": p.pk, "x": p.x_mm, "y": p.y_mm, "r": p.rotation_deg}
            for p in saved
        ]})


# --- Desks, storage, furniture, rooms ----------------------------------------------------------


class ItemFormView(SurveyMixin, FormView):
    """Create (no pk) or show-and-edit (pk) one placed item through its services."""

    model = None
    list_url = ""
    detail_url = ""
    template_name = "survey/item_form.html"

    def get_crumb(self, context):
        return str(context["object"] or context["model_name"])
    select_related: tuple[str, ...] = ("floor", "section")

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return object_in_engagement(
            self.model, self.engagement, self.kwargs["pk"], select=self.select_related
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = self.get_object()
        kwargs["instance"] = self.object
        kwargs["floors"] = self.floors()
        if "section" in self.form_class.Meta.fields:
            kwargs["sections"] = self.sections()
        if self.object is None:
            floor = as_id(self.request.GET.get("floor"))
            if floor is not None:
                kwargs.setdefault("initial", {})["floor"] = floor
        return kwargs

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        created = self.object is None
        try:
            item = self.save(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        kind = next((k for k, m in services.PLACED_MODELS.items() if m is self.model), None)
        if created and kind and kind != "room":
            # Placed by the service at the first free spot: show it on the plan, selected.
            messages.success(self.request, _(
                "%(item)s was saved and placed at a free spot of the plan (X %(x)s mm, "
                "Y %(y)s mm). Drag it to where it stands, then save the plan."
            ) % {"item": item, "x": f"{item.x_mm:,}", "y": f"{item.y_mm:,}"})
            url = reverse("survey:floor_plan", args=[self.engagement.pk, item.floor_id])
            return redirect(f"{url}?item={kind}-{item.pk}")
        messages.success(self.request, _("%(item)s was saved.") % {"item": item})
        return redirect(self.detail_url, engagement_pk=self.engagement.pk, pk=item.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["model_name"] = self.model._meta.verbose_name
        context["list_url"] = self.list_url
        if self.object is not None:
            context["history"] = history_entries(self.object)
        if not self.floors().exists():
            context["no_floor"] = True
        return context


class DeskFormView(ItemFormView):
    model = Desk
    form_class = DeskForm
    list_url = "survey:desk_list"
    detail_url = "survey:desk_update"
    template_name = "survey/desk_form.html"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Desks"), self.engagement_url("survey:desk_list"))]

    def get_crumb(self, context):
        return context["object"].number if context.get("object") else _("Add a desk")

    def save(self, form):
        values = _model_values(form)
        values.pop("size", None)
        if self.object is None:
            return services.desk_create(
                engagement=self.engagement, actor=self.request.user, **values
            )
        return services.desk_update(desk=self.object, actor=self.request.user,
                                    version=form.cleaned_data.get("version"), **values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            context["photos"] = self.object.photos.all()
            context["photo_form"] = PhotoForm()
        return context


class StorageUnitFormView(ItemFormView):
    model = StorageUnit
    form_class = StorageUnitForm
    list_url = "survey:storage_list"
    detail_url = "survey:storage_update"
    template_name = "survey/storage_form.html"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Storage units"), self.engagement_url("survey:storage_list"))]

    def get_crumb(self, context):
        return context["object"].number if context.get("object") else _("Add a storage unit")

    def save(self, form):
        values = form.model_values()
        if self.object is None:
            return services.storage_unit_create(
                engagement=self.engagement, actor=self.request.user, volumes=form.volumes(),
                **values,
            )
        return services.storage_unit_update(
            unit=self.object, actor=self.request.user, volumes=form.volumes(),
            version=form.cleaned_data.get("version"), **values
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dispositions"] = list(Disposition)
        if self.object is not None:
            context["photos"] = self.object.photos.all()
            context["photo_form"] = PhotoForm()
        return context


class FurnitureFormView(ItemFormView):
    model = Furniture
    form_class = FurnitureForm
    list_url = "survey:index"
    detail_url = "survey:furniture_update"

    def save(self, form):
        return services.furniture_save(
            engagement=self.engagement, actor=self.request.user, furniture=self.object,
            version=form.cleaned_data.get("version"), **_model_values(form),
        )


class RoomFormView(ItemFormView):
    model = Room
    form_class = RoomForm
    list_url = "survey:index"
    detail_url = "survey:room_update"
    select_related = ("floor",)

    def save(self, form):
        return services.room_save(
            engagement=self.engagement, actor=self.request.user, room=self.object,
            version=form.cleaned_data.get("version"), **_model_values(form),
        )


class ItemDeleteView(SurveyMixin, TemplateView):
    http_method_names = ["post"]
    model = None
    service = None
    list_url = ""

    def post(self, request, *args, **kwargs):
        item = object_in_engagement(self.model, self.engagement, kwargs["pk"])
        label = str(item)
        try:
            self.delete(item)
        except ValidationError as exc:  # used by a proposal's layout: say which, keep it
            messages.error(request, " ".join(exc.messages))
            return redirect(self.detail_url, engagement_pk=self.engagement.pk, pk=item.pk)
        messages.success(request, _("%(item)s was deleted.") % {"item": label})
        return redirect(self.list_url, engagement_pk=self.engagement.pk)


class DeskDeleteView(ItemDeleteView):
    model = Desk
    list_url = "survey:desk_list"
    detail_url = "survey:desk_update"

    def delete(self, item):
        services.desk_delete(desk=item, actor=self.request.user)


class StorageUnitDeleteView(ItemDeleteView):
    model = StorageUnit
    list_url = "survey:storage_list"
    detail_url = "survey:storage_update"

    def delete(self, item):
        services.storage_unit_delete(unit=item, actor=self.request.user)


class FilteredListView(SurveyMixin, TemplateView):
    """A filtered, paged list. Its body (filter form, table, pages) is the same HTML until the
    engagement's data changes, so it is cached per role and query string (``fragments``)."""

    filterset_class = None
    body_template = ""

    def queryset(self):
        raise NotImplementedError

    def body_context(self) -> dict:
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.queryset(), engagement=self.engagement,
            sections=self.sections(),
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {"engagement": self.engagement, "can_edit": self.can(Action.EDIT_SURVEY),
                "filterset": filterset, "page": page, "query": query.urlencode()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body"] = cached_fragment(
            self.request, self.engagement, self.body_template, self.body_context,
            self.role, self.request.GET.urlencode(),
        )
        return context


class DeskListView(FilteredListView):
    template_name = "survey/desk_list.html"
    body_template = "survey/includes/desk_list_body.html"
    crumb = gettext_lazy("Desks")
    filterset_class = DeskFilterSet

    def queryset(self):
        return selectors.desk_list(self.engagement)


class StorageUnitListView(FilteredListView):
    template_name = "survey/storage_list.html"
    body_template = "survey/includes/storage_list_body.html"
    crumb = gettext_lazy("Storage units")
    filterset_class = StorageUnitFilterSet

    def queryset(self):
        return selectors.storage_unit_list(self.engagement)


# --- Headcounts --------------------------------------------------------------------------------


class StaffingView(SurveyMixin, FormView):
    template_name = "survey/staffing.html"
    crumb = gettext_lazy("Headcount per section")
    form_class = StaffingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sections"] = self.sections().exclude(pk=self.engagement.client_id)
        rows = SectionStaffing.objects.filter(engagement=self.engagement).values_list(
            "section_id", "headcount", "version")
        kwargs["current"] = {section: headcount for section, headcount, _v in rows}
        kwargs["versions"] = {section: version for section, _h, version in rows}
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():  # all rows or none
                for section, headcount, version in form.headcounts():
                    services.staffing_set(
                        engagement=self.engagement, section=section, headcount=headcount,
                        actor=self.request.user, version=version,
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The headcounts were saved."))
        return redirect("survey:staffing", engagement_pk=self.engagement.pk)


# --- Photos ------------------------------------------------------------------------------------


class PhotoAddView(SurveyMixin, FormView):
    http_method_names = ["post"]
    form_class = PhotoForm

    def target(self):
        if self.kwargs["kind"] == "desk":
            return {"desk": object_in_engagement(Desk, self.engagement, self.kwargs["pk"])}
        if self.kwargs["kind"] == "storage":
            return {
                "storage_unit": object_in_engagement(
                    StorageUnit, self.engagement, self.kwargs["pk"]
                )
            }
        raise Http404

    def back(self):
        name = "survey:desk_update" if self.kwargs["kind"] == "desk" else "survey:storage_update"
        return reverse(name, kwargs={"engagement_pk": self.engagement.pk, "pk": self.kwargs["pk"]})

    def form_valid(self, form):
        services.photo_add(
            engagement=self.engagement, actor=self.request.user, image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"], in_report=form.cleaned_data["in_report"],
            **self.target(),
        )
        messages.success(self.request, _("The photo was added."))
        return redirect(self.back())

    def form_invalid(self, form):
        self.target()
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, _("The photo was not added: %(error)s") % {
                    "error": error
                })
        return redirect(self.back())


class PhotoDeleteView(SurveyMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        photo = get_object_or_404(Photo.objects.filter(engagement=self.engagement), pk=kwargs["pk"])
        back = (
            reverse("survey:desk_update", args=[self.engagement.pk, photo.desk_id])
            if photo.desk_id
            else reverse("survey:storage_update", args=[self.engagement.pk, photo.storage_unit_id])
        )
        services.photo_delete(photo=photo, actor=request.user)
        messages.success(request, _("The photo was deleted."))
        return redirect(back)
