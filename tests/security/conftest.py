"""Fixtures of the adversarial tests: small files of every kind, built in memory."""

import io

import pytest
from PIL import Image


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML_BYTES = b"<html><body><script>fetch('/admin/auth/user/')</script></body></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


# The stage apps' fixtures, for tests that cross them.
from tests.meetings.conftest import make_approval, make_meeting, make_minutes, meeting, minutes  # noqa: E402,F401,I001
from tests.survey.conftest import (  # noqa: E402,F401
    desk, floor, make_desk, make_unit, other_section, section,
)
