from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A member's one role in an engagement. What each role may do is in permissions.py."""

    CITY_STAFF = "city_staff", _("City staff")
    CONTRACTOR = "contractor", _("Contractor")
    ADMINISTRATOR = "administrator", _("Administrator")


class OrganisationKind(models.TextChoices):
    CITY = "city", _("City")
    BUREAU = "bureau", _("Bureau")
    OFFICE = "office", _("Office")
    POST = "post", _("Post")
    SECTION = "section", _("Section")
    WARD_OFFICE = "ward_office", _("Ward office")
    BRANCH = "branch", _("Branch office")
    COMPANY = "company", _("Company")
