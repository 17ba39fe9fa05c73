"""Writing workbooks safely: user text never becomes a formula.

Every export (survey workbook, electronic data, procurement and disposal lists) writes cells
through ``safe_value`` / ``append_row``, so a desk note ``=HYPERLINK(...)`` or a desk number
``=2+5`` is stored as text.
"""

from __future__ import annotations

from openpyxl.cell.cell import TYPE_STRING

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_cell(ws, row: int, column: int, value):
    """Write one cell; text starting with = + - @ tab or CR is stored as text, not a formula."""
    cell = ws.cell(row=row, column=column)
    if is_formula_like(value):
        cell.value = value
        cell.data_type = TYPE_STRING
        cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append_row(ws, values) -> int:
    """``ws.append`` that never writes a formula from text. Returns the row number.

    Works for normal and write-only worksheets.
    """
    from openpyxl.cell import WriteOnlyCell

    if getattr(ws, "_write_only", False) or ws.__class__.__name__ == "WriteOnlyWorksheet":
        cells = []
        for value in values:
            if is_formula_like(value):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = TYPE_STRING
                cell.quotePrefix = True
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
        return 0
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        write_cell(ws, row, column, value)
    return row
