"""The layout editor in chromium: drag a desk, add a booth, save, reload; positions kept."""

import pytest
from django.urls import reverse

from proposals.choices import LayoutAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_a_desk_add_a_booth_save_and_reload(browser_page, sign_in, contractor, engagement,
                                                 alternative, catalogue, tmp_path):
    # given the editor of 案A
    page = sign_in("contractor")
    page.goto(reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk]))
    desk = page.locator('#layout-editor g[data-source^="desk:"]').first
    source = desk.get_attribute("data-source")
    before_x = int(desk.get_attribute("data-x"))
    # when the desk is dragged to the right
    box = desk.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 + 30, steps=5)
    page.mouse.up()
    moved = page.locator(f'#layout-editor g[data-source="{source}"]')
    moved_x, moved_y = int(moved.get_attribute("data-x")), int(moved.get_attribute("data-y"))
    assert moved_x > before_x
    assert moved.get_attribute("data-status") == "move"
    # and a booth is added from the catalogue
    page.get_by_label("カタログから新規品目").select_option(
        label="ブース: 集中ブース (W1000×D1000)")
    page.locator("#add-item").click()
    assert page.locator('#layout-editor g[data-status="new"]').count() == 1
    # and the layout is saved (the page reloads)
    with page.expect_navigation():
        page.get_by_role("button", name="レイアウトを保存").click()
    # then the positions are kept after the reload
    page.wait_for_selector("#layout-editor g.li")
    assert "レイアウトを保存しました。" in page.content()
    kept = page.locator(f'#layout-editor g[data-source="{source}"]')
    assert (int(kept.get_attribute("data-x")), int(kept.get_attribute("data-y"))) == (
        moved_x, moved_y)
    assert page.locator('#layout-editor g[data-status="new"]').count() == 1
    item = alternative.items.get(desk_id=int(source.split(":")[1]))
    assert (item.action, item.x_mm, item.y_mm) == (LayoutAction.MOVE, moved_x, moved_y)
    assert alternative.items.filter(action=LayoutAction.NEW,
                                    catalogue_item=catalogue["booth"]).exists()
    page.screenshot(path=tmp_path / "browser_after_save.png")


def test_keyboard_moves_and_undo(browser_page, sign_in, contractor, engagement, alternative):
    page = sign_in("contractor")
    page.goto(reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk]))
    desk = page.locator('#layout-editor g[data-source^="desk:"]').first
    source = desk.get_attribute("data-source")
    x = int(desk.get_attribute("data-x"))
    desk.focus()
    page.keyboard.press("Shift+ArrowRight")
    item = page.locator(f'#layout-editor g[data-source="{source}"]')
    assert int(item.get_attribute("data-x")) == x + 100
    page.keyboard.press("r")
    assert item.get_attribute("data-r") == "90"
    page.locator("#undo").click()
    page.locator("#undo").click()
    assert (int(item.get_attribute("data-x")), item.get_attribute("data-r")) == (x, "0")


def test_copy_delete_remove_and_restore(browser_page, sign_in, contractor, engagement,
                                        alternative, catalogue):
    # given the editor of 案A with a booth added
    page = sign_in("contractor")
    page.goto(reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk]))
    page.get_by_label("カタログから新規品目").select_option(
        label="ブース: 集中ブース (W1000×D1000)")
    page.locator("#add-item").click()
    new = page.locator('#layout-editor g[data-status="new"]')
    x = int(new.first.get_attribute("data-x"))
    # when the booth is copied (C), the copy lands 200 mm away, and Delete takes it out again
    new.first.focus()
    page.keyboard.press("c")
    assert new.count() == 2
    assert int(page.locator("#layout-editor g.selected").get_attribute("data-x")) == x + 200
    page.keyboard.press("Delete")
    assert new.count() == 1
    # when a surveyed desk is copied, the editor refuses and says why
    desk = page.locator('#layout-editor g[data-source^="desk:"]').first
    source = desk.get_attribute("data-source")
    desk.focus()
    page.keyboard.press("c")
    assert "調査した品目は複製できません" in page.locator("#editor-status").inner_text()
    assert new.count() == 1
    # and Delete marks it removed, again restores it, Undo removes it once more
    item = page.locator(f'#layout-editor g[data-source="{source}"]')
    page.keyboard.press("Delete")
    assert item.get_attribute("data-status") == "removed"
    page.keyboard.press("Delete")
    assert item.get_attribute("data-status") == "keep"
    page.locator("#undo").click()
    assert item.get_attribute("data-status") == "removed"
    # then saving keeps one new booth and the desk removed
    with page.expect_navigation():
        page.get_by_role("button", name="レイアウトを保存").click()
    page.wait_for_selector("#layout-editor g.li")
    assert page.locator(f'#layout-editor g[data-source="{source}"]').get_attribute(
        "data-status") == "removed"
    assert alternative.items.get(desk_id=int(source.split(":")[1])).action == LayoutAction.REMOVE
    assert alternative.items.filter(action=LayoutAction.NEW).count() == 1


def test_editor_folds_the_warnings_inherited_from_the_survey(browser_page, sign_in, contractor,
                                                             engagement, alternative):
    # given a minimum aisle of 1,500 mm: D1 and D3 stand 1,300 mm apart in the survey
    from proposals import services

    services.alternative_update(alternative=alternative, actor=contractor, min_aisle_mm=1500)
    page = sign_in("contractor")
    page.goto(reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk]))
    folded = page.locator("#editor-warnings-inherited")
    # then the survey's own aisle is folded, and the alternative has no warning of its own
    assert page.locator("#editor-warnings").inner_text() == "注意はありません。"
    assert folded.is_visible() and not folded.get_attribute("open")
    assert "1件" in folded.locator("summary").inner_text()
    # when D3 is moved 100 mm towards D1, its aisle becomes the alternative's own warning
    desk = page.locator('#layout-editor g[aria-label^="D3"]')
    desk.focus()
    page.keyboard.press("Shift+ArrowUp")
    assert "D1とD3の間の通路が1,200 mmしかありません。" in page.locator(
        "#editor-warnings").inner_text()
    assert folded.is_hidden()


def test_add_places_the_item_at_a_free_spot_focuses_it_and_labels_the_selection(
    browser_page, sign_in, contractor, engagement, alternative, catalogue
):
    browser_page.set_viewport_size({"width": 820, "height": 1180})
    page = sign_in("contractor")
    page.goto(reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk]))
    page.get_by_label("カタログから新規品目").select_option(
        label="ブース: 集中ブース (W1000×D1000)")
    page.locator("#add-item").click()
    new = page.locator('#layout-editor g[data-status="new"]')
    # the booth is focused, on a free spot (not on the surveyed desks D1, D2 at y 1,000)
    assert page.evaluate("document.activeElement.dataset.status") == "new"
    x, y = int(new.get_attribute("data-x")), int(new.get_attribute("data-y"))
    assert (x, y) == (200, 200) or y >= 1000 + 700 + 200 or x >= 3400 + 200
    # the status says where it went, and the selection panel labels its figures
    assert f"X {x:,} mm" in page.locator("#editor-status").inner_text()
    selection = page.locator("#selection-text").inner_text()
    assert "幅 1,000 mm × 奥行 1,000 mm" in selection and f"X {x:,} mm" in selection
    # arrow keys move the focused item at once
    page.keyboard.press("ArrowRight")
    assert int(new.get_attribute("data-x")) == x + 10
