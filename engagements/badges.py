"""Badge colours of statuses, declared beside their choices (as NetBox's ``ChoiceSet`` colours).

In an app's ``choices.py``, right under the ``TextChoices`` class::

    badge_colours(MinutesStatus, {MinutesStatus.CONFIRMED: "success", ...})

Every page then shows a status with ``{% status_badge obj %}`` (the one partial
``includes/status_badge.html``); no template spells out a status value to pick a colour.
Colours are Bootstrap's ``text-bg-*`` names; a status without one is "secondary".
"""

from django.db import models

_COLOURS: dict[tuple[str, ...], dict[str, str]] = {}
DEFAULT_COLOUR = "secondary"


def badge_colours(choices: type[models.TextChoices], colours: dict[str, str]):
    """Declare the badge colour of each status of ``choices``. Returns ``choices``."""
    unknown = set(colours) - set(choices.values)
    if unknown:
        raise ValueError(f"{choices.__name__} has no status {sorted(unknown)}")
    _COLOURS[tuple(choices.values)] = {str(k): v for k, v in colours.items()}
    return choices


def colours_of_field(model: type[models.Model], field: str = "status") -> dict[str, str]:
    values = tuple(value for value, _label in model._meta.get_field(field).flatchoices)
    return _COLOURS.get(values, {})


def badge(model: type[models.Model], value: str, field: str = "status") -> tuple[str, str]:
    """(label, colour) of ``value`` of ``model.field``."""
    labels = dict(model._meta.get_field(field).flatchoices)
    colour = colours_of_field(model, field).get(str(value), DEFAULT_COLOUR)
    return str(labels.get(value, value)), colour


def badge_classes(choices: type[models.TextChoices], classes: dict[str, str]) -> dict[str, str]:
    """Register a ``{status: "text-bg-… [extra]"}`` dict (kept by an app for its own badges) as
    the colours of ``choices``; returns the dict unchanged."""
    badge_colours(choices, {k: v.removeprefix("text-bg-") for k, v in classes.items()})
    return classes
