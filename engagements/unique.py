"""Japanese messages for unique constraints, next to the field and naming the value.

Django's default reads 「この 案件 と 机番号 を持った 机 が既に存在します。」 and lands above the
form. A model lists its own wording per constraint::

    class Desk(UniqueMessagesMixin, PlacedItem):
        unique_messages = {
            ("engagement", "number"): ("number", _("Desk number %(number)s is already in this "
                                                 "engagement.")),
        }

and full_clean() (so every service, and every form the service's errors are mapped onto)
reports 「机番号 05 はこの案件にすでにあります。」 on the field ``number``. ``%(field)s`` names
each field of the constraint by its value (the choice's label for a field with choices).
"""

import datetime as dt

from django.core.exceptions import ValidationError

from .wareki import format_wareki


class UniqueMessagesMixin:
    unique_messages: dict = {}

    def _unique_value(self, name: str):
        field = self._meta.get_field(name)
        if field.choices:
            return getattr(self, f"get_{name}_display")()
        value = getattr(self, name, None)
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return format_wareki(value)
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return "" if value is None else value

    def unique_error_message(self, model_class, unique_check):
        entry = self.unique_messages.get(tuple(unique_check))
        if entry is None:
            return super().unique_error_message(model_class, unique_check)
        field, message = entry
        params = {name: self._unique_value(name) for name in unique_check}
        error = ValidationError(
            {field: ValidationError(message, code="unique", params=params)}
        )
        # Django re-raises it with this code (UniqueConstraint.validate); the wrapper keeps
        # the field, so forms show it next to the field.
        error.code = "unique"
        return error
