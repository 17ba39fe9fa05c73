import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_staff_signs_in_and_reaches_the_dashboard(sign_in, city_user, engagement):
    page = sign_in("city")
    page.get_by_role("link", name=engagement.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == engagement.title
    assert page.get_by_role("heading", name="調査").is_visible()
