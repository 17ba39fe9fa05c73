"""Built-in filters (no ``{% load %}``) for uploaded images: pages show the display copy.

``{{ obj.photo|display_url }}``: the URL of the downscaled copy (``engagements.images``);
before the copy exists that URL answers with the original, undecoded.
``{{ obj.photo|report_image }}``: a ``data:`` URI of the copy for a PDF.
"""

from django import template

from engagements import images

register = template.Library()


@register.filter
def display_url(file) -> str:
    name = getattr(file, "name", file)
    return images.display_url(name) if name else ""


@register.filter
def report_image(file) -> str:
    name = getattr(file, "name", file)
    return images.report_image_uri(name) if name else ""
