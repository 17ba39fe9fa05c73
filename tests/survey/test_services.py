from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from survey import services
from survey.models import Desk, Floor, Photo, Room, SectionStaffing, StorageVolume

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_desk_create_saves_and_records_one_history_row(engagement, floor, section, city_user):
    # when
    desk = services.desk_create(
        engagement=engagement, actor=city_user, number="05", floor=floor, section=section,
        width_mm=1200, depth_mm=700,
    )
    # then
    assert Desk.objects.get(pk=desk.pk).number == "05"
    record = desk.history.get()
    assert record.history_user == city_user


def test_desk_create_refuses_a_duplicate_number(engagement, floor, desk, city_user):
    with pytest.raises(ValidationError):
        services.desk_create(
            engagement=engagement, actor=city_user, number=desk.number, floor=floor,
            width_mm=1200, depth_mm=700,
        )
    assert Desk.objects.filter(engagement=engagement).count() == 1


@pytest.mark.parametrize("role_user", ["contractor", "administrator", "outsider"])
def test_only_city_staff_write_the_survey(request, role_user, engagement, floor):
    actor = request.getfixturevalue(role_user)
    with pytest.raises(PermissionDenied):
        services.desk_create(
            engagement=engagement, actor=actor, number="09", floor=floor,
            width_mm=1200, depth_mm=700,
        )
    assert not Desk.objects.exists()


def test_desk_update_without_change_writes_no_history(desk, city_user):
    services.desk_update(desk=desk, actor=city_user, number=desk.number)
    assert desk.history.count() == 1  # only the creation


def test_placement_move_snaps_to_10_mm_and_records_one_history_row(desk, city_user):
    # when
    placement = services.placement_move(
        item=desk, x_mm="1234.4", y_mm=2006, rotation_deg=450, actor=city_user
    )
    # then
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm, desk.rotation_deg) == (1230, 2010, 90)
    assert (placement.x_mm, placement.y_mm, placement.rotation_deg) == (1230, 2010, 90)
    assert desk.history.count() == 2
    assert desk.history.first().history_user == city_user


def test_placement_move_keeps_the_item_on_its_floor(desk, floor, city_user):
    with pytest.raises(ValidationError):
        services.placement_move(item=desk, x_mm=-500, y_mm=99_999, rotation_deg=-90,
                                actor=city_user)
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm, desk.rotation_deg) == (1000, 1000, 0)
    services.placement_move(item=desk, x_mm=0, y_mm=floor.depth_mm - 1200, rotation_deg=-90,
                            actor=city_user)
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm, desk.rotation_deg) == (0, floor.depth_mm - 1200, 270)


def test_placement_move_refuses_text(desk, city_user):
    with pytest.raises(ValidationError):
        services.placement_move(item=desk, x_mm="abc", y_mm=0, rotation_deg=0, actor=city_user)
    desk.refresh_from_db()
    assert desk.x_mm == 1000


def test_placement_move_by_the_contractor_is_refused(desk, contractor):
    with pytest.raises(PermissionDenied):
        services.placement_move(item=desk, x_mm=0, y_mm=0, rotation_deg=0, actor=contractor)
    desk.refresh_from_db()
    assert desk.x_mm == 1000


def test_storage_unit_volumes_are_set_by_retention_and_disposition(
    engagement, floor, section, city_user
):
    # when
    unit = services.storage_unit_create(
        engagement=engagement, actor=city_user, number="C1", floor=floor, section=section,
        width_mm=900, depth_mm=450, height_mm=1850, shelf_count=5,
        volumes={("5", "archive"): Decimal("2.5"), ("1", "discard"): Decimal("0.5")},
    )
    # then
    cells = {(v.retention, v.disposition): v.volume_fm for v in unit.volumes.all()}
    assert cells == {("5", "archive"): Decimal("2.50"), ("1", "discard"): Decimal("0.50")}
    # and a zero removes a cell
    services.storage_unit_update(
        unit=unit, actor=city_user, volumes={("5", "archive"): Decimal("3")}
    )
    assert list(unit.volumes.values_list("retention", "volume_fm")) == [("5", Decimal("3.00"))]


def test_storage_volume_far_over_capacity_is_refused(engagement, floor, city_user):
    with pytest.raises(ValidationError):
        services.storage_unit_create(
            engagement=engagement, actor=city_user, number="C1", floor=floor, width_mm=800,
            depth_mm=400, height_mm=1000, shelf_count=1, volumes={("5", "keep"): Decimal("5")},
        )
    assert not StorageVolume.objects.exists()


def test_staffing_set_creates_changes_and_removes(engagement, section, city_user):
    services.staffing_set(engagement=engagement, section=section, headcount=19, actor=city_user)
    services.staffing_set(engagement=engagement, section=section, headcount=18, actor=city_user)
    row = SectionStaffing.objects.get()
    assert row.headcount == 18
    assert row.history.count() == 2
    services.staffing_set(engagement=engagement, section=section, headcount=0, actor=city_user)
    assert not SectionStaffing.objects.exists()


def test_image_check_accepts_png_and_jpeg():
    for fmt in ("PNG", "JPEG"):
        upload = SimpleUploadedFile(f"a.{fmt.lower()}", image_bytes(fmt))
        assert services.image_check(upload) == (400, 200)


@pytest.mark.parametrize(
    "content", [b"not an image", b"GIF89a" + b"\x00" * 20, b"%PDF-1.4 fake"]
)
def test_image_check_refuses_other_files(content):
    with pytest.raises(ValidationError) as excinfo:
        services.image_check(SimpleUploadedFile("x.png", content))
    assert "PNG" in str(excinfo.value)


def test_image_check_refuses_a_gif(tmp_path):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError):
        services.image_check(SimpleUploadedFile("x.gif", buffer.getvalue()))


def test_image_check_refuses_a_file_over_the_limit(settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "UPLOAD_MAX_BYTES": {"image": 100}}
    with pytest.raises(ValidationError) as excinfo:
        services.image_check(SimpleUploadedFile("a.png", image_bytes()))
    assert "MB" in str(excinfo.value)


def test_floor_with_a_plan_image_takes_its_size_from_pixels_and_scale(
    engagement, city_user, media_root
):
    upload = SimpleUploadedFile("plan.png", image_bytes(size=(400, 200)), "image/png")
    floor = services.floor_create(
        engagement=engagement, actor=city_user, name="4階", plan_image=upload,
        mm_per_px=Decimal("25"),
    )
    floor = Floor.objects.get(pk=floor.pk)
    assert (floor.width_mm, floor.depth_mm) == (10_000, 5_000)


def test_photo_add_and_delete(engagement, desk, city_user, media_root):
    upload = SimpleUploadedFile("p.jpg", image_bytes("JPEG"), "image/jpeg")
    photo = services.photo_add(
        engagement=engagement, desk=desk, image=upload, caption="机上", actor=city_user
    )
    assert Photo.objects.get().desk == desk
    services.photo_delete(photo=photo, actor=city_user)
    assert not Photo.objects.exists()


def test_bar_chart_writes_counts_whole_and_measures_with_one_decimal():
    from decimal import Decimal

    from survey.charts import hbar_chart

    svg = hbar_chart([("W1000×D700", 30), ("全体", Decimal("2.53"))], unit="台")
    assert ">30台<" in svg
    assert ">2.5台<" in svg


# --- Plan placement: inside the floor, saved at once, new items at a free spot ---------------


def _room(engagement, floor, **fields):
    values = {"name": "会議室", "x_mm": 6000, "y_mm": 2000, "width_mm": 4300, "depth_mm": 3800}
    values.update(fields)
    return Room.objects.create(engagement=engagement, floor=floor, **values)


def test_a_move_that_would_push_an_item_off_the_floor_is_refused_and_writes_nothing(
    engagement, floor, city_user
):
    # given a 4.3 × 3.8 m room near the right wall of a 10 m floor
    room = _room(engagement, floor)
    before = room.history.count()
    # when it is moved so that it would stick out by 300 mm
    with pytest.raises(ValidationError) as error:
        services.placement_move(item=room, x_mm=floor.width_mm - 4000, y_mm=2000,
                                rotation_deg=0, actor=city_user)
    # then it is refused with the floor's size, and the room has not moved
    assert "18,000 × 11,000" in " ".join(error.value.messages)
    room.refresh_from_db()
    assert (room.x_mm, room.history.count()) == (6000, before)


def test_a_quarter_turn_is_checked_with_the_turned_size(engagement, floor, city_user):
    # given a room 4.3 wide and 3.8 deep whose bottom edge is 200 mm above the wall
    room = _room(engagement, floor, y_mm=floor.depth_mm - 4000)
    # when turned a quarter (it becomes 4.3 deep: 250 mm beyond the wall)
    with pytest.raises(ValidationError):
        services.placement_move(item=room, x_mm=room.x_mm, y_mm=room.y_mm, rotation_deg=90,
                                actor=city_user)
    room.refresh_from_db()
    assert room.rotation_deg == 0


def test_the_plan_save_writes_every_change_or_none(engagement, floor, desk, city_user):
    room = _room(engagement, floor)
    # when one of two moves is off the floor, nothing is saved
    with pytest.raises(ValidationError):
        services.placements_save(engagement=engagement, floor=floor, actor=city_user, moves=[
            {"kind": "desk", "pk": desk.pk, "x": 100, "y": 100, "r": 0},
            {"kind": "room", "pk": room.pk, "x": floor.width_mm, "y": 0, "r": 0},
        ])
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm) != (100, 100)
    # when both are on the floor, both are saved (snapped to 10 mm), one history row each
    desk_rows, room_rows = desk.history.count(), room.history.count()
    saved = services.placements_save(engagement=engagement, floor=floor, actor=city_user, moves=[
        {"kind": "desk", "pk": desk.pk, "x": 1004, "y": 996, "r": 90},
        {"kind": "room", "pk": room.pk, "x": 200, "y": 3000, "r": 0},
    ])
    desk.refresh_from_db()
    room.refresh_from_db()
    assert (desk.x_mm, desk.y_mm, desk.rotation_deg) == (1000, 1000, 90)
    assert (room.x_mm, room.y_mm) == (200, 3000)
    assert (desk.history.count(), room.history.count()) == (desk_rows + 1, room_rows + 1)
    assert [(s.kind, s.pk) for s in saved] == [("desk", desk.pk), ("room", room.pk)]


def test_the_plan_save_refuses_an_item_of_another_floor_or_engagement(
    engagement, floor, other_engagement, other_floor, city_user
):
    other_desk = Desk.objects.create(engagement=other_engagement, floor=other_floor, number="X",
                                     width_mm=1000, depth_mm=600, x_mm=3000, y_mm=3000)
    with pytest.raises(ValidationError):
        services.placements_save(engagement=engagement, floor=floor, actor=city_user, moves=[
            {"kind": "desk", "pk": other_desk.pk, "x": 100, "y": 100, "r": 0}])
    other_desk.refresh_from_db()
    assert (other_desk.x_mm, other_desk.y_mm) != (100, 100)


def test_a_new_desk_goes_to_the_first_free_spot_not_the_wall_corner(
    engagement, floor, section, city_user
):
    # given a room in the top-left corner
    _room(engagement, floor, x_mm=0, y_mm=0, width_mm=3000, depth_mm=2000)
    # when two desks are added without a position
    first, second = (
        services.desk_create(engagement=engagement, actor=city_user, number=n, floor=floor,
                             section=section, width_mm=1200, depth_mm=700)
        for n in ("51", "52")
    )
    # then neither is at (0, 0) nor on the room, and they do not overlap each other
    from engagements.drawing.geometry import bounding_box, layout_warnings

    assert (first.x_mm, first.y_mm) == (3200, 200)
    assert (second.x_mm, second.y_mm) == (4600, 200)
    boxes = [bounding_box(str(d), d.x_mm, d.y_mm, d.width_mm, d.depth_mm) for d in (first, second)]
    assert layout_warnings(boxes, 0) == []
