"""engagements/xlsx.py: user text that starts like a formula is written as text (item 6)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from engagements.xlsx import FORMULA_PREFIXES, append_row, is_formula_like, write_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/","open me")', "=2+5", "+2+5", "-2+5", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
]


def as_read(text: str) -> str:
    """XML keeps a carriage return as a line feed; the cell stays text either way."""
    return text.replace("\r", "\n")


def reopen(workbook) -> Workbook:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_prefix_is_covered(prefix):
    assert prefix in FORMULA_PREFIXES
    assert is_formula_like(prefix + "1+1")


@pytest.mark.parametrize("text", HOSTILE)
def test_write_cell_stores_text_not_a_formula(text):
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, text)
    cell = reopen(workbook).active.cell(1, 1)
    assert cell.data_type == "s"
    assert cell.value == as_read(text)


@pytest.mark.parametrize("write_only", [False, True])
def test_append_row_in_normal_and_write_only_sheets(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    append_row(sheet, ["机番号", "備考"])
    for text in HOSTILE:
        append_row(sheet, [text, 3, None, "普通の文字"])
    rows = list(reopen(workbook).worksheets[0].iter_rows(min_row=2))
    assert len(rows) == len(HOSTILE)
    for row, text in zip(rows, HOSTILE, strict=True):
        assert row[0].data_type == "s" and row[0].value == as_read(text)
        assert row[1].value == 3 and row[1].data_type == "n"
        assert row[3].value == "普通の文字"


def test_numbers_and_plain_text_are_unchanged():
    assert not is_formula_like(-5)
    assert not is_formula_like("机-1")
    assert not is_formula_like("")
