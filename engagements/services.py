"""Writes to engagements and memberships. History rows name ``actor`` as the author."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import selectors
from .choices import Role
from .concurrency import check_version
from .history import person_name
from .models import Engagement, Membership
from .permissions import Action, require_member


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


# --- Members page (the engagement's 管理者) -------------------------------------------------
# An engagement always keeps at least one active city-staff member (who decides) and one
# active contractor member (who proposes and delivers); ending or changing a membership that
# would leave either side empty is refused. Memberships are ended, never deleted, so the
# history keeps who was a member with which role, and who ended it when.

REQUIRED_ROLES = (Role.CITY_STAFF, Role.CONTRACTOR)


def _check_sides_kept(engagement: Engagement, *, without: Membership | None = None,
                      new_role: str | None = None) -> None:
    """Refuse the change if it leaves no active city-staff or no active contractor member."""
    roles = list(
        Membership.objects.select_for_update()
        .filter(engagement=engagement)
        .exclude(pk=getattr(without, "pk", None))
        .values_list("role", flat=True)
    )
    if new_role is not None:
        roles.append(new_role)
    for role in REQUIRED_ROLES:
        if role not in roles:
            raise ValidationError(
                _("The engagement must keep at least one active member with the role "
                  "“%(role)s”.") % {"role": Role(role).label}
            )


def not_found_message(username: str) -> str:
    return _("Nobody you work with is called “%(username)s”. You can add people who are "
             "members of one of your engagements; for anybody else, create a sign-in "
             "below.") % {"username": username}


@transaction.atomic
def membership_add(*, engagement: Engagement, user, role: str, actor,
                   organisation=None, new_user: bool = False) -> Membership:
    """Make ``user`` a member with ``role``; an ended membership is taken up again.

    ``user`` must share an engagement with ``actor`` (unless the actor just created the sign-in,
    ``new_user``). Two simultaneous adds of one person give one membership and a message.
    """
    require_member(actor, engagement, Action.MANAGE_MEMBERS)
    if not new_user and selectors.colleague_named(actor, user.get_username()) != user:
        raise ValidationError({"username": not_found_message(user.get_username())})
    membership = (
        Membership.all_objects.select_for_update().filter(engagement=engagement, user=user).first()
    )
    if membership is not None and membership.is_active:
        raise ValidationError(
            {"user": _("%(name)s is already a member of this engagement.")
             % {"name": person_name(user)}}
        )
    if membership is None:
        membership = Membership(engagement=engagement, user=user, role=role,
                                organisation=organisation)
        try:
            save_new(membership, actor=actor, field="user", message=_(
                "%(name)s was just added to this engagement by somebody else.")
                % {"name": person_name(user)})
        except ValidationError as exc:
            # Added by a simultaneous request; its commit may come before full_clean (whose
            # wording names the user name) or after it (the database's constraint).
            raise ValidationError({"user": _(
                "%(name)s was just added to this engagement by somebody else."
            ) % {"name": person_name(user)}}, code="unique") from exc
        return membership
    membership.role = role
    membership.organisation = organisation
    membership.is_active = True
    membership.bump_version()
    save_checked(membership, actor=actor, exclude=["engagement", "user"])
    return membership


@transaction.atomic
def member_user_create(*, engagement: Engagement, username: str, last_name: str,
                       first_name: str, email: str, password: str, role: str,
                       actor) -> Membership:
    """Create a sign-in for a new person and make them a member in one step."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    require_member(actor, engagement, Action.MANAGE_MEMBERS)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The user name “%(username)s” is already taken.")
             % {"username": username}}
        )
    user = User(username=username, last_name=last_name, first_name=first_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    save_new(user, actor=None, field="username", message=_(
        "The user name “%(username)s” is already taken.") % {"username": username})
    return membership_add(engagement=engagement, user=user, role=role, actor=actor,
                          new_user=True)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor,
                           version: int | None = None) -> Membership:
    """Give a member another role. Nobody changes their own role (an administrator could
    otherwise make themselves city staff and decide); the engagement keeps a city-staff and a
    contractor member; a form opened before somebody else's change is refused (``version``)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require_member(actor, membership.engagement, Action.MANAGE_MEMBERS)
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot change your own role."))
    check_version(membership, version, fields=["role"])
    if membership.role == role:
        return membership
    _check_sides_kept(membership.engagement, without=membership, new_role=role)
    membership.role = role
    membership.bump_version()
    save_checked(membership, actor=actor, update_fields=["role", "version"])
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor) -> Membership:
    """End a membership (the row and its history stay); the member no longer sees anything."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require_member(actor, membership.engagement, Action.MANAGE_MEMBERS)
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot end your own membership."))
    _check_sides_kept(membership.engagement, without=membership)
    membership.is_active = False
    membership.bump_version()
    save_checked(membership, actor=actor, update_fields=["is_active", "version"])
    return membership
