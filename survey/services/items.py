"""Writes of the survey (engineer A's part). Every write checks the actor's role again.

Each function is keyword-only, atomic, locks the row it changes, runs ``full_clean`` and
names the actor as the author of the history row it writes.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from engagements.concurrency import bump, check_version
from engagements.drawing import geometry
from engagements.files import delete_file_on_commit, save_file_on_commit
from engagements.images import make_display_copy_quietly
from engagements.models import Engagement, Organisation
from engagements.permissions import Action, require_member
from engagements.services import assign_changed, save_checked, save_new, set_history_actor
from engagements.uploads import Kind, upload_max_bytes, validate_upload

from ..choices import SNAP_MM, Disposition, Retention
from ..models import (
    Desk,
    Floor,
    Furniture,
    Photo,
    Room,
    SectionStaffing,
    StorageUnit,
    StorageVolume,
)

IMAGE_FORMATS = {"PNG", "JPEG"}


def max_upload_bytes() -> int:
    """The size limit of an image (``OFFICE_REFORM["UPLOAD_MAX_BYTES"]["image"]``)."""
    return upload_max_bytes(Kind.IMAGE)


def require_survey_editor(*, engagement: Engagement, actor: AbstractBaseUser) -> None:
    """Only members whose role may edit the survey (city staff) write to it."""
    require_member(actor, engagement, Action.EDIT_SURVEY)


def image_check(upload) -> tuple[int, int]:
    """Refuse anything but a PNG or JPEG within the size limit; return its size in pixels."""
    validate_upload(upload, [Kind.IMAGE])  # content matches the name; size, pixel limits
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format = image.format
            size = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The file is not a PNG or JPEG image.")) from exc
    finally:
        upload.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("The file is not a PNG or JPEG image."))
    return size




# --- Floors and rooms -------------------------------------------------------------------------


def _floor_size_from_image(floor: Floor) -> None:
    """With a plan image, the floor's extent is the image's pixels times the scale."""
    if floor.plan_image and floor.mm_per_px:
        floor.plan_image.open()
        try:
            with Image.open(floor.plan_image) as image:
                width_px, height_px = image.size
        finally:
            floor.plan_image.seek(0)
        floor.width_mm = int(Decimal(width_px) * floor.mm_per_px)
        floor.depth_mm = int(Decimal(height_px) * floor.mm_per_px)


@transaction.atomic
def floor_create(*, engagement: Engagement, actor: AbstractBaseUser, **values) -> Floor:
    """Add a floor with an image plan (image + scale) or an outline (width × depth in mm)."""
    require_survey_editor(engagement=engagement, actor=actor)
    floor = Floor(engagement=engagement, **values)
    if floor.plan_image:
        if not floor.mm_per_px:
            raise ValidationError({"mm_per_px": _("Give the scale of the plan image.")})
        image_check(floor.plan_image)
        _floor_size_from_image(floor)
        save_file_on_commit(floor, "plan_image", after=make_display_copy_quietly)
    save_checked(floor, actor=actor)
    return floor


@transaction.atomic
def floor_update(*, floor: Floor, actor: AbstractBaseUser, version: int | None = None,
                 **values) -> Floor:
    """Change a floor; ``version`` (the one the form was opened with) refuses a stale edit."""
    require_survey_editor(engagement=floor.engagement, actor=actor)
    floor = Floor.objects.select_for_update().get(pk=floor.pk)
    check_version(floor, version, fields=[n for n in values if n != "plan_image"])
    old_image = floor.plan_image.name
    changed = assign_changed(floor, values)
    if floor.plan_image:
        if not floor.mm_per_px:
            raise ValidationError({"mm_per_px": _("Give the scale of the plan image.")})
        if "plan_image" in changed:
            image_check(floor.plan_image)
        size = (floor.width_mm, floor.depth_mm)
        _floor_size_from_image(floor)
        if size != (floor.width_mm, floor.depth_mm):
            changed += ["width_mm", "depth_mm"]
    if "plan_image" in changed:
        save_file_on_commit(floor, "plan_image", after=make_display_copy_quietly)
        if old_image and old_image != floor.plan_image.name:
            delete_file_on_commit(old_image, with_display_copy=True)
    if changed:
        floor.bump_version()
        save_checked(floor, actor=actor)
    return floor


@transaction.atomic
def room_save(*, engagement: Engagement, actor: AbstractBaseUser, room: Room | None = None,
              version: int | None = None, **values) -> Room:
    """Create or change a room drawn on an outline plan; ``version`` (the one the form was
    opened with) refuses a stale edit."""
    require_survey_editor(engagement=engagement, actor=actor)
    if room is None:
        room = Room(engagement=engagement, **values)
    else:
        room = Room.objects.select_for_update().get(pk=room.pk, engagement=engagement)
        check_version(room, version, fields=list(values))
        if assign_changed(room, values):
            room.bump_version()
    save_checked(room, actor=actor)
    return room


# --- Staffing ---------------------------------------------------------------------------------


def _occupancy_results_follow(engagement_id: int) -> None:
    """The stored occupancy analysis depends on the desks and the staffing: update it in the
    same transaction."""
    from .occupancy import occupancy_results_update_engagement

    occupancy_results_update_engagement(engagement_id)



@transaction.atomic
def staffing_set(*, engagement: Engagement, section: Organisation, headcount: int,
                 actor: AbstractBaseUser, version: int | None = None) -> SectionStaffing | None:
    """Set a section's headcount; a headcount of 0 removes the row. Writes nothing if unchanged.

    ``version``: the row's version when the form was opened (0: it had no row); a changed
    headcount from a form opened before somebody else's save is refused (``StaleEdit``).
    """
    require_survey_editor(engagement=engagement, actor=actor)
    row = (
        SectionStaffing.objects.select_for_update()
        .filter(engagement=engagement, section=section)
        .first()
    )
    if headcount != (row.headcount if row is not None else 0):
        check_version(row or SectionStaffing(engagement=engagement, section=section,
                                             headcount=0),
                      version, fields=["headcount"])
    if headcount == 0:
        if row is not None:
            set_history_actor(row, actor)
            row.delete()
            _occupancy_results_follow(engagement.pk)
        return None
    if row is None:
        row = SectionStaffing(engagement=engagement, section=section, headcount=headcount,
                              version=1)
        save_new(row, actor=actor, message=_(
            "The headcount of %(section)s was just saved by somebody else; reload the page and "
            "check it."
        ) % {"section": section})
        _occupancy_results_follow(engagement.pk)
    elif row.headcount != headcount:
        row.headcount = headcount
        row.bump_version()
        save_checked(row, actor=actor, update_fields=["headcount", "version"])
        _occupancy_results_follow(engagement.pk)
    return row


# --- Desks, furniture, storage ----------------------------------------------------------------


@transaction.atomic
def desk_create(*, engagement: Engagement, actor: AbstractBaseUser, **values) -> Desk:
    """Add a desk; its number must be new in the engagement."""
    require_survey_editor(engagement=engagement, actor=actor)
    desk = Desk(engagement=engagement, **values)
    if "x_mm" not in values and desk.floor_id and desk.width_mm and desk.depth_mm:
        place_at_first_free_spot(desk)
    save_new(desk, actor=actor, field="number", message=_(
        "Desk number %(number)s was just added by somebody else; choose another number."
    ) % {"number": desk.number})
    _occupancy_results_follow(engagement.pk)
    return desk


@transaction.atomic
def desk_update(*, desk: Desk, actor: AbstractBaseUser, version: int | None = None,
                **values) -> Desk:
    """Change a desk; ``version`` (the one the form was opened with) refuses a stale edit."""
    require_survey_editor(engagement=desk.engagement, actor=actor)
    desk = Desk.objects.select_for_update().get(pk=desk.pk)
    check_version(desk, version, fields=list(values))
    changed = assign_changed(desk, values)
    if changed:
        changed.append(bump(desk))
        save_checked(desk, actor=actor, update_fields=changed)
        if "section" in changed:
            _occupancy_results_follow(desk.engagement_id)
    return desk


def _delete_unless_used(item) -> None:
    """Delete a surveyed item, or refuse naming the layouts (alternatives) that use it."""
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's work intact
            item.delete()
    except ProtectedError as exc:
        users = sorted({str(getattr(obj, "alternative", obj)) for obj in exc.protected_objects})
        raise ValidationError(
            _("%(item)s cannot be deleted: the layout of %(users)s uses it. Mark it as removed "
              "in those layouts instead, or delete those alternatives first.")
            % {"item": item, "users": "、".join(users)},
            code="protected",
        ) from exc


@transaction.atomic
def desk_delete(*, desk: Desk, actor: AbstractBaseUser) -> None:
    require_survey_editor(engagement=desk.engagement, actor=actor)
    desk = Desk.objects.select_for_update().get(pk=desk.pk)
    set_history_actor(desk, actor)
    _delete_unless_used(desk)
    _occupancy_results_follow(desk.engagement_id)


@transaction.atomic
def furniture_save(*, engagement: Engagement, actor: AbstractBaseUser,
                   furniture: Furniture | None = None, version: int | None = None,
                   **values) -> Furniture:
    """Create or change a piece of furniture; ``version`` (the one the form was opened with)
    refuses a stale edit."""
    require_survey_editor(engagement=engagement, actor=actor)
    if furniture is None:
        furniture = Furniture(engagement=engagement, **values)
        if "x_mm" not in values and furniture.floor_id and furniture.width_mm \
                and furniture.depth_mm:
            place_at_first_free_spot(furniture)
    else:
        furniture = Furniture.objects.select_for_update().get(
            pk=furniture.pk, engagement=engagement
        )
        check_version(furniture, version, fields=list(values))
        if assign_changed(furniture, values):
            furniture.bump_version()
    save_checked(furniture, actor=actor)
    return furniture


VolumeCells = dict[tuple[str, str], Decimal]


def _volumes_set(unit: StorageUnit, volumes: VolumeCells, actor) -> None:
    existing = {
        (v.retention, v.disposition): v
        for v in StorageVolume.objects.select_for_update().filter(unit=unit)
    }
    for key in {(r, d) for r in Retention.values for d in Disposition.values}:
        amount = volumes.get(key) or Decimal("0")
        row = existing.get(key)
        if amount <= 0:
            if row is not None:
                set_history_actor(row, actor)
                row.delete()
        elif row is None:
            save_checked(
                StorageVolume(unit=unit, retention=key[0], disposition=key[1], volume_fm=amount),
                actor=actor,
            )
        elif row.volume_fm != amount:
            row.volume_fm = amount
            save_checked(row, actor=actor, update_fields=["volume_fm"])


def _check_volume_within_capacity(unit: StorageUnit, volumes: VolumeCells) -> None:
    unit.check_document_volume(sum((v for v in volumes.values() if v), Decimal("0")))


@transaction.atomic
def storage_unit_create(*, engagement: Engagement, actor: AbstractBaseUser,
                        volumes: VolumeCells | None = None, **values) -> StorageUnit:
    """Add a storage unit and its documents by retention × disposition (fm)."""
    require_survey_editor(engagement=engagement, actor=actor)
    unit = StorageUnit(engagement=engagement, **values)
    if "x_mm" not in values and unit.floor_id and unit.width_mm and unit.depth_mm:
        place_at_first_free_spot(unit)
    save_checked(unit, actor=actor)
    if volumes:
        _check_volume_within_capacity(unit, volumes)
        _volumes_set(unit, volumes, actor)
    return unit


@transaction.atomic
def storage_unit_update(*, unit: StorageUnit, actor: AbstractBaseUser,
                        volumes: VolumeCells | None = None, version: int | None = None,
                        **values) -> StorageUnit:
    """Change a storage unit and its documents; ``version`` refuses a stale edit."""
    require_survey_editor(engagement=unit.engagement, actor=actor)
    unit = StorageUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version, fields=list(values))
    changed = assign_changed(unit, values)
    if changed or volumes is not None:
        changed.append(bump(unit))
        save_checked(unit, actor=actor, update_fields=changed)
    if volumes is not None:
        _check_volume_within_capacity(unit, volumes)
        _volumes_set(unit, volumes, actor)
    return unit


@transaction.atomic
def storage_unit_delete(*, unit: StorageUnit, actor: AbstractBaseUser) -> None:
    require_survey_editor(engagement=unit.engagement, actor=actor)
    unit = StorageUnit.objects.select_for_update().get(pk=unit.pk)
    set_history_actor(unit, actor)
    _delete_unless_used(unit)


# --- Placement on the plan --------------------------------------------------------------------

PLACED_MODELS = {"desk": Desk, "storage": StorageUnit, "furniture": Furniture, "room": Room}


def snap(value_mm: float) -> int:
    return geometry.snap(value_mm, SNAP_MM)


@dataclass
class Placement:
    x_mm: int
    y_mm: int
    rotation_deg: int


def _checked_position(item, x_mm, y_mm, rotation_deg) -> tuple[int, int, int]:
    """The snapped position and rotation, refused when the turned item would leave its floor."""
    try:
        numbers = [float(v) for v in (x_mm, y_mm, rotation_deg)]
        if not all(math.isfinite(n) and abs(n) <= 10_000_000 for n in numbers):
            raise ValueError("not a finite position")  # inf, nan, 1e309
        x, y, rotation = snap(numbers[0]), snap(numbers[1]), int(round(numbers[2])) % 360
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValidationError(_("The position must be numbers in millimetres.")) from exc
    floor = item.floor
    if not geometry.is_inside(x, y, item.width_mm, item.depth_mm, rotation, floor.width_mm,
                              floor.depth_mm):
        raise ValidationError(
            _("%(item)s would leave the floor (%(w)s × %(d)s mm); it was not moved.")
            % {"item": item, "w": f"{floor.width_mm:,}", "d": f"{floor.depth_mm:,}"}
        )
    return x, y, rotation


@transaction.atomic
def placement_move(*, item, x_mm, y_mm, rotation_deg, actor: AbstractBaseUser) -> Placement:
    """Move or turn a placed item: snapped to 10 mm, rotation in [0, 360); refused when the
    turned item would leave its floor.

    Writes one history row when the position changes, none when it does not.
    """
    require_survey_editor(engagement=item.engagement, actor=actor)
    model = type(item)
    item = model.objects.select_for_update().select_related("floor").get(pk=item.pk)
    x, y, rotation = _checked_position(item, x_mm, y_mm, rotation_deg)
    changed = assign_changed(item, {"x_mm": x, "y_mm": y, "rotation_deg": rotation})
    if changed:
        if hasattr(item, "version"):
            changed.append(bump(item))  # an open edit form of this item is now stale
        save_checked(item, actor=actor, update_fields=changed)
    return Placement(item.x_mm, item.y_mm, item.rotation_deg)


@dataclass
class PlacementSaved:
    kind: str
    pk: int
    x_mm: int
    y_mm: int
    rotation_deg: int


@transaction.atomic
def placements_save(*, engagement: Engagement, floor: Floor, moves: list[dict],
                    actor: AbstractBaseUser) -> list[PlacementSaved]:
    """Save the plan editor's changes of one floor at once: ``moves`` is a list of
    ``{"kind", "pk", "x", "y", "r"}``. All or nothing: an unknown item, one on another floor,
    or a position off the floor refuses the whole save with every reason listed.
    """
    require_survey_editor(engagement=engagement, actor=actor)
    if not isinstance(moves, list) or not moves:
        raise ValidationError(_("There is nothing to save."))
    errors, planned = [], []
    for move in moves:
        model = PLACED_MODELS.get(move.get("kind")) if isinstance(move, dict) else None
        pk = move.get("pk") if model is not None else None
        item = (model.objects.select_for_update().select_related("floor")
                .filter(engagement=engagement, floor=floor, pk=pk).first()
                if isinstance(pk, int) else None)
        if item is None:
            errors.append(_("An item of the request is not on this floor."))
            continue
        try:
            planned.append((item, *_checked_position(item, move.get("x"), move.get("y"),
                                                     move.get("r", item.rotation_deg))))
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError(errors)
    saved = []
    for item, x, y, rotation in planned:
        changed = assign_changed(item, {"x_mm": x, "y_mm": y, "rotation_deg": rotation})
        if changed:
            save_checked(item, actor=actor, update_fields=changed)
        kind = next(k for k, m in PLACED_MODELS.items() if isinstance(item, m))
        saved.append(PlacementSaved(kind, item.pk, item.x_mm, item.y_mm, item.rotation_deg))
    return saved


def occupied_boxes(floor: Floor, *, exclude=None) -> list[geometry.Box]:
    """The boxes of everything placed on ``floor`` (four queries)."""
    boxes = []
    for model in PLACED_MODELS.values():
        rows = model.objects.filter(floor=floor)
        if exclude is not None and isinstance(exclude, model) and exclude.pk:
            rows = rows.exclude(pk=exclude.pk)
        for x, y, w, d, r in rows.values_list("x_mm", "y_mm", "width_mm", "depth_mm",
                                              "rotation_deg"):
            boxes.append(geometry.bounding_box("", x, y, w, d, r))
    return boxes


def place_at_first_free_spot(item) -> bool:
    """Put a new item at the first free place of its floor, scanning from the top-left corner
    (never on the wall corner at 0, 0). False when the floor has no free place: the item then
    stays at the floor's inner corner, to be moved on the plan."""
    floor = item.floor
    spot = geometry.first_free_spot(floor.width_mm, floor.depth_mm, item.width_mm or 0,
                                     item.depth_mm or 0, occupied_boxes(floor, exclude=item))
    if spot is None:
        item.x_mm = item.y_mm = min(geometry.FREE_MARGIN_MM, floor.width_mm, floor.depth_mm)
        return False
    item.x_mm, item.y_mm = spot
    return True


# --- Photos -----------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, engagement: Engagement, image, actor: AbstractBaseUser, desk: Desk | None = None,
              storage_unit: StorageUnit | None = None, caption: str = "",
              in_report: bool = False) -> Photo:
    """Attach a checked PNG/JPEG photo to one desk or one storage unit."""
    require_survey_editor(engagement=engagement, actor=actor)
    image_check(image)
    photo = Photo(
        engagement=engagement, desk=desk, storage_unit=storage_unit, image=image,
        caption=caption, in_report=in_report, uploaded_by=actor,
    )
    save_file_on_commit(photo, "image", after=make_display_copy_quietly)
    save_checked(photo, actor=actor)
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, actor: AbstractBaseUser) -> None:
    require_survey_editor(engagement=photo.engagement, actor=actor)
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    set_history_actor(photo, actor)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    delete_file_on_commit(name, storage, with_display_copy=True)
