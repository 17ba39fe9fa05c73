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
from tests.proposals.conftest import (  # noqa: E402,F401
    alternative, catalogue, make_alternative, proposal, survey_layout,
)


# --- Reading a form as a browser would post it ------------------------------------------------
from tests.html_forms import PageReader  # noqa: E402


def form_data(html: str, must_have: str = "version") -> dict:
    """The post form of ``html`` that has a field ``must_have``, as a dict for the test client."""
    reader = PageReader(buttons=False)
    reader.feed(html)
    for _action, fields in reader.forms:
        if any(name == must_have for name, _v in fields):
            data: dict = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    raise AssertionError(f"no post form with {must_have!r}")
