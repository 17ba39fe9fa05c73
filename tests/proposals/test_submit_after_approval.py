"""案B is not offered for submission once 案A is approved; the page says why (issue 12 item 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals import services
from proposals.choices import AlternativeStatus
from proposals.models import StatusChange
from proposals.workflows import ALTERNATIVE_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [AlternativeStatus.DRAFT, AlternativeStatus.RETURNED])
def test_submitting_after_another_was_approved_is_refused_and_writes_nothing(
    make_alternative, contractor, status
):
    # given 案B still open when 案A is approved
    other = make_alternative(status, "案B")
    make_alternative(AlternativeStatus.APPROVED, "案A")
    # when the contractor submits 案B
    with pytest.raises(ValidationError, match="案Aが承認済みのため、案Bは提出できません"):
        services.alternative_submit(alternative=other, actor=contractor)
    # then nothing changed
    other.refresh_from_db()
    assert other.status == status
    assert not StatusChange.objects.filter(alternative=other).exists()
    [submit] = [c for c in ALTERNATIVE_WORKFLOW.available(other, "contractor", check=True)
                if c.target == AlternativeStatus.SUBMITTED]
    assert "案Aが承認済みのため" in submit.refused  # offered only as refused, saying why
    assert other.submit_blocked_by().label == "案A"


def test_submitting_without_an_approved_one_still_works(make_alternative, contractor):
    other = make_alternative(AlternativeStatus.DRAFT, "案B")
    assert other.submit_blocked_by() is None
    [submit] = [c for c in ALTERNATIVE_WORKFLOW.available(other, "contractor", check=True)
                if c.target == AlternativeStatus.SUBMITTED]
    assert submit.refused == ""
    services.alternative_submit(alternative=other, actor=contractor)
    other.refresh_from_db()
    assert other.status == AlternativeStatus.SUBMITTED


def test_the_page_says_why_instead_of_offering_submit(client, make_alternative, contractor,
                                                      engagement):
    other = make_alternative(AlternativeStatus.DRAFT, "案B")
    make_alternative(AlternativeStatus.APPROVED, "案A")
    client.force_login(contractor)
    html = client.get(reverse("proposals:alternative_detail",
                              args=[engagement.pk, other.pk])).content.decode()
    assert "案Aが承認済みのため、案Bは提出できません" in html
    assert reverse("proposals:alternative_transition",
                   args=[engagement.pk, other.pk, "submit"]) not in html
