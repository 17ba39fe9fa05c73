"""Writes to engagements and memberships. History rows name ``actor`` as the author."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Engagement, Membership


def set_history_actor(instance, actor: AbstractBaseUser | None) -> None:
    """Name the author of the history row the next save writes (outside a request too)."""
    if actor is not None:
        instance._history_user = actor


def save_checked(instance, *, actor: AbstractBaseUser | None, update_fields=None,
                 exclude=None) -> None:
    """full_clean() then save, with ``actor`` named on the history row: how services write."""
    instance.full_clean(exclude=exclude)
    set_history_actor(instance, actor)
    instance.save(update_fields=update_fields)


def save_new(instance, *, actor: AbstractBaseUser | None, field: str | None = None,
             message=None) -> None:
    """``save_checked`` for a new row that a simultaneous request may create at the same moment.

    ``full_clean`` checks uniqueness, but two requests can both pass it; the database's unique
    constraint then refuses the second insert. That ``IntegrityError`` becomes a
    ``ValidationError`` (on ``field`` when given) instead of a 500; a savepoint keeps the
    caller's transaction usable.
    """
    instance.full_clean()
    set_history_actor(instance, actor)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        message = message or _("Somebody else saved the same entry at the same moment. Reload "
                               "the page and check.")
        raise ValidationError({field: message} if field else message, code="unique") from exc


def assign_changed(instance, values: dict) -> list[str]:
    """Set the attributes whose value differs; return their names (for update_fields)."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def engagement_create(*, actor: AbstractBaseUser | None = None, **fields) -> Engagement:
    """Create an engagement after checking its rules (contract period, fiscal year)."""
    engagement = Engagement(**fields)
    engagement.full_clean()
    set_history_actor(engagement, actor)
    engagement.save()
    return engagement


@transaction.atomic
def membership_set(
    *,
    engagement: Engagement,
    user: AbstractBaseUser,
    role: str,
    actor: AbstractBaseUser | None = None,
    organisation=None,
) -> Membership:
    """Give ``user`` exactly one role in ``engagement``; writes nothing if it is already so."""
    membership = (
        Membership.objects.select_for_update().filter(engagement=engagement, user=user).first()
    )
    if membership is None:
        membership = Membership(
            engagement=engagement, user=user, role=role, organisation=organisation
        )
        membership.full_clean()
        set_history_actor(membership, actor)
        membership.save()
    elif membership.role != role or membership.organisation != organisation:
        membership.role = role
        membership.organisation = organisation
        membership.full_clean()
        set_history_actor(membership, actor)
        membership.save(update_fields=["role", "organisation"])
    return membership
