"""CSV and XLSX of one analysis table. Aggregates only: no client number, name or any other identifier is ever in
the rows (the tables are built from counts), and every suppressed cell reads "<10", as on the page."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from .presentation import Table, cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(table: Table, context: str) -> list[list]:
    return [[table.title], [context], []]


def to_csv(table: Table, context: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([label for _key, label in table.columns])
    writer.writerows(cells(table))
    # The context (municipality, peildatum, suppression) goes last, so the file opens as a plain table.
    writer.writerow([])
    writer.writerow([context])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(table: Table, context: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    for line in _header(table, context):
        sheet.append(line)
    sheet.append([label for _key, label in table.columns])
    for line in cells(table):
        sheet.append(line)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
