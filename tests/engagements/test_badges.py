"""Status badges: colours declared beside the choices, one partial renders them."""

from django.template import Context, Template

from engagements.badges import colours_of_field
from engagements.workflow import WORKFLOWS
from meetings.choices import MinutesStatus
from meetings.models import Minutes
from tests.test_workflows import _load_workflows


def test_every_status_of_every_workflow_has_a_badge_colour():
    _load_workflows()
    for workflow in WORKFLOWS:
        values = {v for v, _label in workflow.model._meta.get_field(workflow.field).flatchoices}
        assert set(colours_of_field(workflow.model, workflow.field)) == values, workflow.model


def test_the_badge_takes_its_colour_from_the_choices():
    minutes = Minutes(status=MinutesStatus.CONFIRMED)
    html = Template("{% status_badge m %}").render(Context({"m": minutes}))
    assert 'class="badge text-bg-success"' in html
    assert str(MinutesStatus.CONFIRMED.label) in html


def test_a_bare_value_and_an_empty_one():
    template = Template('{% status_badge v "meetings.Minutes" empty="none" %}')
    assert "text-bg-warning" in template.render(Context({"v": "requested"}))
    assert "none" in template.render(Context({"v": ""}))
