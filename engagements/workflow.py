"""One way to move anything through its statuses.

A status machine is a ``Workflow``: the model, its status field, a table
``{(source, target): Transition}`` and the model that logs each change. ``Workflow.apply``
is the only routine that writes a status: it locks the row, checks the source state and the
actor's role, runs the transition's extra check on the *locked* row, saves the new status
(with any other values of the same action), and writes exactly one status-change row with
actor, time and comment. Templates list the transitions a user may take from the same table
(``Workflow.available``), so no page spells out a status string of its own.

Example (procurement's plan line)::

    LINE_WORKFLOW = Workflow(
        model=PlanLine,
        log_model=PlanLineStatusChange, log_fk="line",
        transitions={
            (LineStatus.NEW, LineStatus.ORDERED): Transition(Action.EDIT_PROCUREMENT,
                                                             _("Mark ordered")),
            ...
        },
    )
    LINE_WORKFLOW.apply(line, LineStatus.ORDERED, actor=user)

The status-change model has the fields ``old_status``, ``new_status``, ``actor``,
``comment`` and a foreign key (``log_fk``) to the object; ``StatusChangeBase`` below gives
the first four and the time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .concurrency import Versioned, bump
from .history import person_name, set_change_reason
from .models import Membership
from .permissions import Action, role_can


@dataclass(frozen=True)
class Transition:
    """One allowed move: who may take it, how the button reads, what it needs."""

    action: Action
    label: str
    comment_required: bool = False
    # "primary", "success", "danger", "secondary"…: the button's Bootstrap colour.
    style: str = "primary"
    # Extra rule checked on the locked row: raise ValidationError to refuse.
    check: Callable[[models.Model], None] | None = None
    # The message when a required comment is missing (a generic one when empty).
    comment_message: str = ""
    # The check sees the row with the values written by the same move (e.g. the anchoring
    # confirmed on the tablet together with the installation); by default it sees the row
    # as it was.
    check_values: bool = False


@dataclass(frozen=True)
class Choice:
    """One transition a user may take now; ``url`` is where its form posts (may be "")."""

    target: str
    transition: Transition
    url: str = ""
    # Why the transition's check refuses it now (``available(..., check=True)``); the page
    # shows this instead of the button.
    refused: str = ""

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def style(self) -> str:
        return self.transition.style

    @property
    def comment_required(self) -> bool:
        return self.transition.comment_required


class StatusChangeBase(models.Model):
    """Fields every status-change row has. Subclass with a foreign key to the object."""

    old_status = models.CharField(_("from"), max_length=20, blank=True)
    new_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_status or '-'} → {self.new_status}"


@dataclass(frozen=True)
class StatusHistoryRow:
    """One line of a status history, ready to show (``Workflow.history``/``status_history``).

    ``old_label``/``new_label`` are the status labels from the model's choices ("" for the
    empty start status); ``actor_name`` is ``person_name(actor)``.
    """

    at: object
    actor: object
    actor_name: str
    old_status: str
    new_status: str
    old_label: str
    new_label: str
    comment: str


def workflow_for(obj_or_model) -> Workflow:
    """The workflow whose model ``obj_or_model`` is (LookupError when there is none)."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    for attempt in range(2):
        for wf in WORKFLOWS:
            if wf.model._meta.concrete_model is model:
                return wf
        if attempt == 0:
            # The app's machines register when its workflows module is imported.
            try:
                import_module(f"{model._meta.app_config.name}.workflows")
            except ModuleNotFoundError:
                break
    raise LookupError(f"No workflow for {model.__name__}")


def status_history(obj, *, newest_first: bool = False) -> list[StatusHistoryRow]:
    """The one way to list an object's status changes: ``workflow_for(obj).history(obj)``."""
    return workflow_for(obj).history(obj, newest_first=newest_first)


# Every Workflow defined, for the check that each status field has one (tests/test_workflows.py).
WORKFLOWS: list[Workflow] = []


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: dict[tuple[str, str], Transition]
    log_model: type[models.Model]
    log_fk: str
    field: str = "status"
    # How an object is named in messages (e.g. 案A rather than the proposal and 案A).
    name_of: Callable[[models.Model], str] = dataclasses.field(default=str)
    # How to find the engagement of an object, for the actor's role.
    engagement_of: Callable[[models.Model], object] = dataclasses.field(
        default=lambda obj: obj.engagement
    )

    def __post_init__(self) -> None:
        WORKFLOWS.append(self)

    # --- reading ------------------------------------------------------------------------
    def targets_from(self, source: str) -> list[str]:
        return [t for (s, t) in self.transitions if s == source]

    def available(self, obj, role: str | None, url: Callable[[str], str] | None = None,
                  check: bool = False) -> list[Choice]:
        """The transitions ``role`` may take from ``obj``'s current status, in table order.

        ``url(target)``: where the form of each transition posts (for the template).
        ``check``: also run each transition's check on ``obj`` (unlocked, so only a hint:
        ``apply`` checks again) and fill ``Choice.refused`` with its message.
        """
        source = getattr(obj, self.field)
        return [
            Choice(target, tr, url(target) if url else "",
                   _refusal(tr, obj) if check else "")
            for (s, target), tr in self.transitions.items()
            if s == source and role_can(role, tr.action)
        ]

    def action_for(self, target: str) -> Action | None:
        """The one action every transition into ``target`` needs (None if they differ)."""
        actions = {tr.action for (_s, t), tr in self.transitions.items() if t == target}
        return actions.pop() if len(actions) == 1 else None

    def status_fields(self) -> tuple[type[models.Model], str]:
        return self.model, self.field

    def history(self, obj, *, newest_first: bool = False) -> list[StatusHistoryRow]:
        """The status-change rows of ``obj``, oldest first (or newest first), labelled.

        One query (the actor joined); none when the rows were prefetched
        (``prefetch_related("<related_name>__actor")``). Render with
        ``{% include "includes/status_history.html" with rows=... %}``.
        """
        accessor = (self.log_model._meta.get_field(self.log_fk).remote_field
                    .get_accessor_name())
        if accessor in getattr(obj, "_prefetched_objects_cache", {}):
            changes = sorted(getattr(obj, accessor).all(), key=lambda c: (c.at, c.pk))
        else:
            changes = list(self.log_model._default_manager.filter(**{self.log_fk: obj})
                           .select_related("actor").order_by("at", "pk"))
        labels = {k: str(v) for k, v in self.model._meta.get_field(self.field).flatchoices}
        rows = [
            StatusHistoryRow(
                at=c.at, actor=c.actor, actor_name=person_name(c.actor) if c.actor else "",
                old_status=c.old_status, new_status=c.new_status,
                old_label=labels.get(c.old_status, c.old_status),
                new_label=labels.get(c.new_status, c.new_status), comment=c.comment,
            )
            for c in changes
        ]
        return rows[::-1] if newest_first else rows

    def can(self, obj, target: str, role: str | None) -> bool:
        tr = self.transitions.get((getattr(obj, self.field), target))
        return tr is not None and role_can(role, tr.action)

    # --- writing ------------------------------------------------------------------------
    def apply(self, obj, target: str, *, actor, comment: str = "", values: dict | None = None,
              role: str | None = None, using_locked: Callable | None = None, at=None):
        """Move ``obj`` to ``target``. Returns the locked, saved instance.

        ``values``: other fields written in the same save (e.g. a decision date).
        ``role``: the actor's role; looked up from the engagement's membership when omitted.
        ``using_locked(locked)``: called on the locked row before saving (extra writes of
        the same action, in the same transaction).
        ``at``: the time of the status-change row when it is not now (the demo's story dates).
        Raises ``PermissionDenied`` for the wrong role, ``ValidationError`` for a wrong
        source state, a missing comment or a failed check; nothing is written then.
        """
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
            source = getattr(locked, self.field)
            tr = self.transitions.get((source, target))
            if role is None:
                role = _role_of(actor, self.engagement_of(locked))
            if tr is None:
                raise ValidationError(
                    _("%(object)s is %(status)s: it cannot be moved to %(target)s.")
                    % {"object": self.name_of(locked), "status": _label(locked, self.field, source),
                       "target": _label(locked, self.field, target)}
                )
            if not role_can(role, tr.action):
                raise PermissionDenied(
                    _("Your role in this engagement does not allow this action.")
                )
            comment = (comment or "").strip()
            if tr.comment_required and not comment:
                raise ValidationError(
                    {"comment": tr.comment_message or _("Write a comment saying why.")}
                )
            if tr.check is not None and not tr.check_values:
                tr.check(locked)
            setattr(locked, self.field, target)
            update_fields = [self.field]
            for name, value in (values or {}).items():
                setattr(locked, name, value)
                update_fields.append(name)
            if tr.check is not None and tr.check_values:
                tr.check(locked)
            if using_locked is not None:
                using_locked(locked)
            if isinstance(locked, Versioned) or hasattr(locked, "VERSION_FIELD"):
                # A status change is an edit: a form opened before it is stale.
                update_fields.append(bump(locked))
            locked.full_clean()
            locked._history_user = actor
            # The comment in full is the status-change row's; the history row's reason is a
            # varchar(100), so it gets the comment cut to fit.
            set_change_reason(locked, comment)
            locked.save(update_fields=update_fields)
            self.log_model._default_manager.create(
                **{self.log_fk: locked}, old_status=source, new_status=target, actor=actor,
                comment=comment, **({"at": at} if at is not None else {}),
            )
            obj.__dict__.update({k: getattr(locked, k) for k in update_fields})
            return locked

    def log_start(self, obj, *, actor, comment: str = "", at=None):
        """The first status-change row of a new object ("" → its initial status)."""
        return self.log_model._default_manager.create(
            **{self.log_fk: obj}, old_status="", new_status=getattr(obj, self.field),
            actor=actor, comment=(comment or "").strip(),
            **({"at": at} if at is not None else {}),
        )

    def apply_many(self, objs: Iterable, target: str, *, actor, comment: str = "",
                   values_of: Callable[[models.Model], dict | None] | None = None) -> list:
        """Move several objects at once: all of them, or none (the refused ones named).

        ``values_of(obj)``: the other fields written with each object's move (``values`` of
        ``apply``), e.g. the day of the delivery.
        """
        errors: list[str] = []
        done = []
        with transaction.atomic():
            sid = transaction.savepoint()
            for obj in objs:
                try:
                    done.append(self.apply(obj, target, actor=actor, comment=comment,
                                           values=values_of(obj) if values_of else None))
                except (ValidationError, PermissionDenied) as exc:
                    messages = getattr(exc, "messages", None) or [str(exc)]
                    errors.append(f"{obj}: {' '.join(str(m) for m in messages)}")
            if errors:
                transaction.savepoint_rollback(sid)
                raise ValidationError(errors)
            transaction.savepoint_commit(sid)
        return done


def _refusal(tr: Transition, obj) -> str:
    if tr.check is None:
        return ""
    try:
        tr.check(obj)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return ""


def _label(obj, field_name: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field_name).flatchoices)
    return str(choices.get(value, value or "—"))


def _role_of(actor, engagement) -> str | None:
    if actor is None or engagement is None:
        return None
    return (
        Membership.objects.filter(engagement=engagement, user=actor)
        .values_list("role", flat=True)
        .first()
    )
