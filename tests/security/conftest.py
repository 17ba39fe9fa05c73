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
from html.parser import HTMLParser  # noqa: E402


class _FormReader(HTMLParser):
    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker, self.forms, self.current = marker, [], None
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = []
            self.forms.append(self.current)
        if self.current is None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.current.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = [a.get("name"), None, "multiple" in a, []]
        elif tag == "option" and self.select is not None:
            if "selected" in a:
                self.select[3].append(a.get("value", ""))
            elif self.select[1] is None:
                self.select[1] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            name, first, multiple, chosen = self.select
            if name and self.current is not None:
                values = chosen or ([] if multiple else [first or ""])
                self.current.extend((name, v) for v in values)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.current is not None and self.textarea[0]:
                self.current.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def form_data(html: str, must_have: str = "version") -> dict:
    """The post form of ``html`` that has a field ``must_have``, as a dict for the test client."""
    reader = _FormReader(must_have)
    reader.feed(html)
    for fields in reader.forms:
        if any(name == must_have for name, _v in fields):
            data: dict = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    raise AssertionError(f"no post form with {must_have!r}")
