"""The activity log as CSV, written row by row as the response is sent."""

import csv
import json
from datetime import datetime
from itertools import chain

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from audit.models import ENTRY_FIELDS

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    """A file that hands back what is written to it, for the csv module."""

    def write(self, value):
        return value


class CsvRenderer(BaseRenderer):
    """
    `text/csv`, chosen with `?format=csv` or `Accept: text/csv`.

    The activity list streams its rows itself with `activity_csv_response`;
    this renders the answers that are not rows, such as errors, as a header
    and one row.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict):
            data = {"detail": data}
        writer = csv.writer(Echo())
        header = writer.writerow(data.keys())
        return header + writer.writerow([cell(value) for value in data.values()])


def activity_csv_response(entries, *, filename):
    """Stream `entries` as a CSV attachment, never holding them all."""
    writer = csv.writer(Echo())
    rows = entries.values_list(*ENTRY_FIELDS).iterator(chunk_size=2000)
    lines = chain(
        [writer.writerow(ENTRY_FIELDS)],
        (writer.writerow([cell(value) for value in row]) for row in rows),
    )

    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cell(value):
    """The text of one CSV cell, never taken for a spreadsheet formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)

    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text
