"""Suppliers belong to an engagement: another engagement's companies are never offered or
accepted, and twenty simultaneous adds of one supplier give one row."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from engagements.choices import OrganisationKind, Role
from engagements.models import Organisation
from procurement import forms, selectors, services
from procurement.models import Quote, Supplier
from tests.race import RACERS, race


@pytest.fixture
def other_supplier(other_engagement, make_member):
    other_contractor = make_member(other_engagement, Role.CONTRACTOR, "other-contractor")
    return services.supplier_create(engagement=other_engagement, name="株式会社よその家具",
                                    actor=other_contractor)


def test_another_engagements_supplier_is_not_offered(engagement, suppliers, other_supplier):
    # given suppliers in both engagements
    # then each engagement's forms offer its own only
    offered = set(forms.QuoteForm(engagement=engagement).fields["supplier"].queryset)
    assert offered == set(suppliers)
    assert other_supplier not in offered
    for form in (forms.BulkForm, forms.LineQuantityForm, forms.ConnectionForm):
        assert other_supplier not in form(engagement=engagement).fields["installer"].queryset
    day_form = forms.InstallationDayForm(engagement=engagement)
    assert other_supplier not in day_form.fields["company"].queryset


def test_the_order_page_lists_only_this_engagements_suppliers(client, contractor, engagement,
                                                             plan, suppliers, other_supplier):
    client.force_login(contractor)
    html = client.get(reverse("procurement:order_list", args=[engagement.pk])).content.decode()
    assert suppliers[0].name in html
    assert other_supplier.name not in html


def test_a_quote_from_another_engagements_supplier_is_refused(
        client, contractor, engagement, plan, lines, make_order, other_supplier):
    # given a draft order of this engagement
    order = make_order({lines["desk"]: 1}, factors=(100,), issue=False)
    order_line = order.lines.get()
    before = Quote.objects.count()
    # when a quote names the other engagement's supplier (a forged post)
    client.force_login(contractor)
    response = client.post(
        reverse("procurement:order_detail", args=[engagement.pk, order.pk]),
        {"step": "quote", "supplier": other_supplier.pk, "quoted_on": "2026-10-10",
         "tax_included": "0", f"price_{order_line.pk}": "50000"})
    # then the form refuses the choice, and the service too; nothing is written
    assert response.status_code in (200, 400)
    assert "正しく選択してください" in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        services.quote_create(order=order, supplier=other_supplier,
                              quoted_on=dt.date(2026, 10, 10), valid_until=None,
                              tax_included=False, prices={order_line.pk: 50_000},
                              actor=contractor)
    assert "この案件の業者から選んでください" in str(caught.value)
    assert Quote.objects.count() == before


def test_the_same_name_may_be_a_supplier_of_two_engagements(engagement, contractor,
                                                           other_supplier, other_engagement):
    company = services.supplier_create(engagement=engagement, name="株式会社よその家具",
                                       actor=contractor)
    assert company == other_supplier  # the company row is one, its links are two
    assert Supplier.objects.filter(organisation=company).count() == 2
    assert list(selectors.suppliers(engagement)) == [company]


def test_a_supplier_added_twice_is_refused_with_a_message(engagement, contractor, suppliers):
    with pytest.raises(ValidationError) as caught:
        services.supplier_create(engagement=engagement, name="株式会社Ａ家具 ", actor=contractor)
    assert caught.value.message_dict["name"] == [
        "「株式会社Ａ家具」はこの案件の業者にすでにあります。"]
    assert Supplier.objects.filter(engagement=engagement).count() == len(suppliers)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_adds_of_one_supplier_give_one_row(engagement, contractor, plan):
    # given twenty signed-in browsers of the contractor
    url = reverse("procurement:order_list", args=[engagement.pk])
    clients = []
    for _ in range(RACERS):
        client = Client()
        client.force_login(contractor)
        clients.append(client)
    # when all add the same supplier at the same moment
    results = race(lambda i: clients[i].post(url, {"name": "株式会社同時商会"}))
    # then one row, one company, one success and nineteen clear messages (no 500)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert Supplier.objects.filter(engagement=engagement).count() == 1
    assert Organisation.objects.filter(name="株式会社同時商会",
                                       kind=OrganisationKind.COMPANY).count() == 1
    assert sorted(r.status_code for r in results) == [302] + [400] * (RACERS - 1)
    for response in results:
        if response.status_code == 400:
            assert "「株式会社同時商会」はこの案件の業者にすでにあります。" in \
                response.content.decode()


def test_work_by_another_engagements_company_is_refused(position_in, contractor, engagement,
                                                        other_supplier):
    # given a delivered unit, and the other engagement's company (even with a 再委託 approval)
    from procurement.choices import PositionStatus as P

    position = position_in(P.DELIVERED)
    # when it is named as the installer
    with pytest.raises(ValidationError) as caught:
        services.position_transition(position=position, target=P.INSTALLED, actor=contractor,
                                     installer=other_supplier)
    # then refused, nothing changed
    assert caught.value.message_dict["installer"] == ["この案件の業者から選んでください。"]
    position.refresh_from_db()
    assert (position.status, position.installer) == (P.DELIVERED, None)


def test_a_name_too_long_once_normalised_is_refused_with_a_message(engagement, contractor):
    with pytest.raises(ValidationError) as caught:
        services.supplier_create(engagement=engagement, name="㍿" * 60, actor=contractor)
    assert caught.value.message_dict["name"] == ["会社名が長すぎます。"]
    assert not Supplier.objects.filter(engagement=engagement).exists()
