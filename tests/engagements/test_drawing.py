"""The shared plan drawing: whole floor, labels that fit or become numbers, scale bar, scope,
a legend entry for every colour, and an SVG that axe accepts around buttons."""

import re
from types import SimpleNamespace

from engagements.drawing import FloorItems, LegendEntry, PlanItem, draw_plan
from engagements.drawing.plan import fit_label

FLOOR = SimpleNamespace(pk=7, name="3階 執務室", width_mm=18000, depth_mm=11000)


def item(kind, pk, x, y, w=1200, d=700, r=0, label="", **extra):
    return PlanItem(kind=kind, pk=pk, x_mm=x, y_mm=y, width_mm=w, depth_mm=d, rotation_deg=r,
                    label=label, **extra)


def view_box(svg):
    return [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def test_the_whole_floor_is_in_view_even_an_item_beyond_the_wall():
    # given a room that sticks out 500 mm beyond the right wall
    plan = draw_plan(FloorItems(FLOOR, [item("room", 1, 14000, 7000, 4500, 3800, label="会議室")]))
    x, y, w, h = view_box(plan.svg)
    assert x < 0 and y < 0
    assert x + w >= 18500 and y + h >= 11000
    assert 'class="plan-scale"' in plan.svg and ">5 m<" in plan.svg


def test_a_label_shrinks_to_fit_and_below_the_minimum_becomes_a_listed_number():
    items = [
        item("furniture", 1, 1000, 1000, 600, 700, label="複合機"),  # too narrow: a number
        item("desk", 2, 3000, 1000, label="窓口-01"),  # fits, smaller than the largest size
        item("furniture", 3, 5000, 1000, 2400, 1400, label="フリーアドレステーブル W2400"),
    ]
    plan = draw_plan(FloorItems(FLOOR, items))
    assert plan.numbered == [(1, "複合機")]
    assert ">1</text>" in plan.svg and "<b>1</b> 複合機" in plan.legend_html
    assert ">窓口-01</text>" in plan.svg
    # the long name takes two lines rather than a number
    assert ">フリーアドレステーブル</tspan>" in plan.svg
    # no label is drawn wider than its box
    for text in re.findall(r'<text[^>]*font-size="([\d.]+)"[^>]*>窓口-01<', plan.svg):
        assert float(text) * (1 * 2 + 0.6 * 3) <= 1200  # 窓口 full width, "-01" narrow


def test_fit_label_refuses_below_the_minimum():
    assert fit_label("会議室", 4300, 3800, max_size=300, min_size=100) == 300
    assert fit_label("複合機", 600, 700, max_size=300, min_size=190) is None


def test_every_colour_has_a_legend_entry_and_the_scope_is_outlined():
    items = [item("desk", 1, 1000, 1000, section_id=5), item("desk", 2, 2200, 1000, section_id=5),
             item("desk", 3, 9000, 6000, section_id=6), item("storage", 4, 100, 100, 900, 450)]
    plan = draw_plan(
        FloorItems(FLOOR, items),
        colour_of=lambda i: "#ffe066" if i.pk == 3 else None,
        legend=[LegendEntry("#ffe066", "発注済み")],
        scope=lambda i: i.section_id == 5,
    )
    fills = set(re.findall(r'<rect width="\d+" height="\d+" fill="([^"]+)"', plan.svg))
    assert fills <= {e.colour for e in plan.legend}
    labels = [e.label for e in plan.legend]
    assert "発注済み" in labels and "業務の対象範囲" in labels
    # one outline around the two neighbouring desks of the scope
    assert plan.svg.count('class="plan-scope"') == 1


def test_an_interactive_plan_is_a_labelled_group_of_buttons_and_ids_are_stable():
    items = [item("desk", 1, 1000, 1000, label="01")]
    plan = draw_plan(FloorItems(FLOOR, items), interactive=True)
    opening = plan.svg[:plan.svg.index(">")]
    assert 'role="group"' in opening and 'aria-label="3階 執務室"' in opening
    assert 'role="button"' in plan.svg and 'role="img"' not in plan.svg
    still = draw_plan(FloorItems(FLOOR, items))
    assert still.svg == draw_plan(FloorItems(FLOOR, items)).svg
    assert 'role="img"' in still.svg and "aria-labelledby" in still.svg


def test_a_button_drawn_with_a_number_says_the_number_first():
    # axe's label-content-name-mismatch: the text drawn on a button is part of its name
    items = [item("furniture", 1, 1000, 1000, 600, 700, label="複合機", title="複合機")]
    plan = draw_plan(FloorItems(FLOOR, items), interactive=True)
    assert 'aria-label="1 複合機"' in plan.svg


def crowded_floor(desks: int) -> FloorItems:
    """A floor of 80 m with ``desks`` small desks whose numbers cannot fit their boxes."""
    floor = SimpleNamespace(pk=8, name="1階", width_mm=80000, depth_mm=40000)
    return FloorItems(floor, [item("desk", n, 500 + (n % 50) * 1500, 500 + (n // 50) * 2400,
                                   label=f"1-{n:04d}") for n in range(desks)])


def test_up_to_the_limit_small_labels_become_numbers_beyond_it_they_are_left_out():
    from engagements.drawing.plan import NUMBERED_LIMIT

    few = draw_plan(crowded_floor(NUMBERED_LIMIT))
    assert len(few.numbered) == NUMBERED_LIMIT and "<b>1</b> 1-0000" in few.legend_html
    assert "plan-note" not in few.legend_html
    many = draw_plan(crowded_floor(NUMBERED_LIMIT + 1))
    assert many.numbered == [] and "plan-numbers" not in many.legend_html
    assert "<text" not in many.svg.split('class="plan-scale"')[0]  # no label on any desk
    note = re.search(r'<p class="plan-note"[^>]*>([^<]+)</p>', many.legend_html).group(1)
    assert f"{NUMBERED_LIMIT + 1} " in note


def test_a_print_plan_carries_only_what_is_drawn():
    items = [item("desk", 1, 1000, 1000, label="窓口-01", attrs={"status": "x"}),
             item("desk", 2, 3000, 1000, r=90, label="窓口-02")]
    screen = draw_plan(FloorItems(FLOOR, items))
    paper = draw_plan(FloorItems(FLOOR, items), for_print=True)
    assert 'data-pk="1"' in screen.svg and 'data-status="x"' in screen.svg
    assert "<title>窓口-01</title>" in screen.svg
    assert "data-" not in paper.svg and "<title>窓口" not in paper.svg
    assert "pointer-events" not in paper.svg
    # the same boxes and labels: positions, the turned desk turned, its label upright
    assert '<g transform="translate(1000 1000)"><rect width="1200" height="700"' in paper.svg
    assert 'transform="translate(3000 1000) rotate(90 600 350)"' in paper.svg
    assert 'transform="rotate(-90 600 350)">1</text>' in paper.svg  # too narrow upright
    assert ">窓口-01</text>" in paper.svg
