"""Titles of the meetings app's parts of the report, kept here so that their Japanese
translations live in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

APPROVALS_APPENDIX_TITLE = _("Appendix: approvals and consultations")
