from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from survey.models import capacity_fm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "width,shelves,expected",
    [(800, 1, "0.80"), (800, 5, "4.00"), (900, 6, "5.40"), (0, 5, "0.00"), (880, None, "0.00")],
)
def test_capacity_is_shelf_width_in_metres_times_shelves(width, shelves, expected):
    assert capacity_fm(width, shelves) == Decimal(expected)


def test_storage_unit_capacity_follows_its_width_and_shelves(make_unit):
    # given an 800 mm cabinet with 5 shelves (DOMAIN.md: 4 fm)
    unit = make_unit("C1", width_mm=800, shelf_count=5)
    # then
    assert unit.capacity_fm == Decimal("4.00")


def test_an_item_outside_its_floor_is_refused(make_desk, floor):
    desk = make_desk("01")
    desk.x_mm = floor.width_mm + 10
    with pytest.raises(ValidationError) as excinfo:
        desk.full_clean()
    assert "x_mm" in excinfo.value.message_dict


def test_an_item_on_another_engagements_floor_is_refused(make_desk, other_floor):
    desk = make_desk("01")
    desk.floor = other_floor
    with pytest.raises(ValidationError) as excinfo:
        desk.full_clean()
    assert "floor" in excinfo.value.message_dict


def test_every_placed_model_has_the_same_placement_fields():
    from survey.models import Desk, Furniture, PlacedItem, Room, StorageUnit

    for model in (Desk, Furniture, Room, StorageUnit):
        assert issubclass(model, PlacedItem)
        for name in PlacedItem.PLACEMENT_FIELDS:
            model._meta.get_field(name)
