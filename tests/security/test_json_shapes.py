"""The layout editor's and the placement endpoint's bodies: hostile shapes get 400 with a
message, never a 500 (item 10). Hypothesis generates the bodies."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagements.jsonshape import Int, ListOf, Num, Obj, ShapeError, Str, parse_json

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=100, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)
hostile_numbers = st.sampled_from(["1e400", "-1e400", "1e309", "NaN", "Infinity", "-Infinity",
                                   "1" * 5000, "[1]", "{}", '"12"', "true", "null", "1.5",
                                   "99999999999999999999999"])
hostile_strings = st.sampled_from(['"a\\u0000b"', '"' + "長" * 300 + '"', "1", "[]", "null",
                                   '"3階"'])


def editor_url(engagement, alternative, floor):
    return (reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk])
            + f"?floor={floor.pk}")


@pytest.fixture
def editor(contractor, engagement, alternative, floor):
    client = Client()
    client.force_login(contractor)
    return client, editor_url(engagement, alternative, floor)


def post(client, url, body):
    response = client.post(url, body, content_type="application/json")
    assert response.status_code in (200, 400, 409), (body[:300], response.status_code)
    payload = response.json()
    if response.status_code != 200:
        assert payload["ok"] is False and payload["errors"]
    return response


@pytest.mark.parametrize("body", [
    '{"items":[1],"zones":[]}',
    '{"items":[{"id":[1],"x":1,"y":1}],"zones":[]}',
    '{"items":[],"zones":[{"kind":"meeting","name":"a\\u0000b","x":1,"y":1,"w":10,"d":10}]}',
    '{"items":[{"x":1e400,"y":1}],"zones":[]}',
    '{"items":[{"x":NaN,"y":1}],"zones":[]}',
    '{"items":[{"x":Infinity,"y":1}],"zones":[]}',
    '{"items":{},"zones":[]}',
    '[]', '1', '"x"', 'null', '', '{', '{"items":[]}', '\xff\xfe',
    '{"items":[{"x":1,"y":1,"removed":"yes"}],"zones":[]}',
    '{"items":[{"x":1,"y":99999999}],"zones":[]}',
    '{"items":[],"zones":[],"extra":1}',
    '{"items":[],"zones":[],"version":"1"}',
    '{"items":[{"x":1,"y":1,"id":true}],"zones":[]}',
    "[" * 5000 + "]" * 5000,
])
def test_known_hostile_bodies_get_400_with_a_message(editor, body):
    client, url = editor
    response = post(client, url, body)
    assert response.status_code == 400
    assert "読み取れません" in response.json()["errors"][0]


@HYPOTHESIS
@given(body=json_values)
def test_any_json_gets_an_answer_not_a_500(editor, body):
    client, url = editor
    post(client, url, json.dumps(body))


@HYPOTHESIS
@given(x=hostile_numbers, name=hostile_strings, wrap=st.booleans())
def test_hostile_values_in_a_layout_shape_get_400(editor, x, name, wrap):
    client, url = editor
    item = f'{{"id":null,"source":null,"catalogue":null,"label":{name},"x":{x},"y":100,"r":0,' \
           f'"removed":false}}'
    body = f'{{"items":[{item if not wrap else "[" + item + "]"}],"zones":[]}}'
    post(client, url, body)


@HYPOTHESIS
@given(x=st.one_of(st.text(max_size=30), hostile_numbers, st.floats().map(repr)),
       y=st.one_of(st.text(max_size=10), st.integers().map(str)),
       r=st.one_of(st.text(max_size=10), hostile_numbers))
def test_placement_endpoint_answers_400_or_200(city_user, engagement, desk, x, y, r):
    client = Client()
    client.force_login(city_user)
    url = reverse("survey:placement_move", args=[engagement.pk, "desk", desk.pk])
    response = client.post(url, {"x_mm": x, "y_mm": y, "rotation_deg": r})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["errors"]


@pytest.mark.parametrize("value", ["1e309", "inf", "-inf", "nan", "1e400", "Infinity"])
def test_placement_endpoint_refuses_non_finite_positions(client, city_user, engagement, desk,
                                                         value):
    client.force_login(city_user)
    url = reverse("survey:placement_move", args=[engagement.pk, "desk", desk.pk])
    response = client.post(url, {"x_mm": value, "y_mm": "100", "rotation_deg": "0"})
    assert response.status_code == 400
    assert "mm単位の数値" in response.json()["errors"][0]


def test_parse_json_keeps_good_bodies_and_names_the_place_of_a_bad_one():
    shape = Obj({"items": ListOf(Obj({"n": Int(), "x": Num(0, 10), "s": Str(5)}))})
    assert parse_json(b'{"items":[{"n":1,"x":2.5,"s":"ab"}]}', shape) == {
        "items": [{"n": 1, "x": 2.5, "s": "ab"}]}
    with pytest.raises(ShapeError) as info:
        parse_json(b'{"items":[{"n":1,"x":20}]}', shape)
    assert "items[1].x" in str(info.value)
