"""
Text extraction from uploaded documents.

``extract_pages()`` turns the bytes of one version into a list of pages of
plain text. It decides the format by the content, checks that the file name
does not contradict it, and refuses what it cannot read with an
``ExtractionError`` whose message a person understands. Nothing here touches
the database, so the same code serves the asynchronous task, the ``reindex``
command and the tests.

The parsers are imported where they are used: most Lambda invocations never
extract text, and a cold start should not pay for loading them.
"""

import csv
import html
import logging
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_MAX_SECONDS = 20

# Enough to recognise every format below, including a PDF header preceded by
# the stray bytes some producers write before it.
HEAD_BYTES = 2048

# Text needs at most four bytes per character; reading more than this for a
# capped extraction would only waste memory.
BYTES_PER_CHAR = 4

PDF = "a PDF document"
DOCX = "a Word document"
TEXT = "a text file"
MARKDOWN = "a Markdown file"
CSV = "a CSV file"
HTML = "an HTML page"
TEXT_FORMATS = (TEXT, MARKDOWN, CSV, HTML)

EXTENSION_FORMATS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".csv": CSV,
    ".html": HTML,
    ".htm": HTML,
}

CONTENT_TYPE_FORMATS = {
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "text/csv": CSV,
    "text/html": HTML,
}

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# A Word document is a ZIP archive that python-docx unpacks into memory, and
# its main XML part is parsed whole. A few hundred kilobytes can unpack into
# gigabytes, so archives past these sizes are refused before they are opened.
DOCX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DOCX_MAX_DOCUMENT_XML_BYTES = 32 * 1024 * 1024
DOCX_MAX_MEMBERS = 10_000

DOCX_DOCUMENT_PART = "word/document.xml"
ZIP_MEMBERS = (
    (DOCX_DOCUMENT_PART, DOCX),
    ("xl/workbook.xml", "an Excel spreadsheet"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("content.xml", "an OpenDocument file"),
)

HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*(?=\n)")
EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

UNREADABLE_HTML_ELEMENTS = ("script", "style", "nav", "noscript", "template", "svg")


class ExtractionError(Exception):
    """
    The text of a file cannot be extracted.

    ``str(error)`` is a reason meant for the person who uploaded the file;
    ``code`` is stable for callers that branch on it.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class NothingToExtract(ExtractionError):
    """The file is readable but holds no text at all, such as an empty file."""

    def __init__(self, message: str = "The file has no text.") -> None:
        super().__init__(message, code="empty")


@dataclass(frozen=True)
class Page:
    """Text of one page; ``number`` is None for formats without pages."""

    number: int | None
    text: str


def extract_pages(
    stream: BinaryIO,
    *,
    content_type: str,
    filename: str,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> list[Page]:
    """
    Return the text of a document, page by page.

    ``stream`` must be seekable and positioned anywhere; ``content_type`` is
    the type sniffed from the bytes at upload. The text is capped at
    ``max_chars`` characters in total, and a PDF is read for at most
    ``max_seconds``. Raise ``NothingToExtract`` for a file without text and
    ``ExtractionError`` for one that cannot be read.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise NothingToExtract("The file is empty.")

    found = _detect_format(stream, head, content_type=content_type)
    found = _check_name(found, filename=filename)
    if found == PDF:
        pages = _pdf_pages(stream, max_chars=max_chars, max_seconds=max_seconds)
    elif found == DOCX:
        _check_docx_size(stream)
        pages = [Page(None, _docx_text(stream))]
    else:
        pages = [Page(None, _text(stream, found, max_chars=max_chars))]

    pages = _capped([Page(page.number, _clean(page.text)) for page in pages], max_chars)
    if not any(page.text.strip() for page in pages):
        raise NothingToExtract()
    return pages


def _detect_format(stream: BinaryIO, head: bytes, *, content_type: str) -> str:
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(stream)
    if head.startswith(OLE2_SIGNATURE):
        return "an old-style Microsoft Office file (.doc, .xls or .ppt)"
    for signature, description in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return description
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[:2] == b"BM" and head[6:10] == bytes(4):
        return "a BMP image"

    major_type = content_type.partition("/")[0]
    if major_type == "image":
        return "an image"
    if major_type in ("audio", "video"):
        return f"{major_type} content"
    if HTML_START.match(head):
        return HTML
    return CONTENT_TYPE_FORMATS.get(content_type.partition(";")[0].strip(), TEXT)


def _zip_format(stream: BinaryIO) -> str:
    try:
        names = set(zipfile.ZipFile(stream).namelist())
    except zipfile.BadZipFile:
        return "a damaged ZIP archive"
    finally:
        stream.seek(0)

    for member, found in ZIP_MEMBERS:
        if member in names:
            return found
    return "a ZIP archive"


def _check_name(found: str, *, filename: str) -> str:
    """
    Refuse a content the file name contradicts, or one that is unsupported.

    Among text formats the name wins: it says whether the text is Markdown,
    CSV, HTML or plain, which the bytes alone cannot tell reliably.
    """
    extension = PurePath(filename).suffix.lower()
    claimed = EXTENSION_FORMATS.get(extension)
    if claimed in TEXT_FORMATS and found in TEXT_FORMATS:
        return claimed
    if claimed is not None and claimed != found:
        raise ExtractionError(
            f"The file is named {extension} but its content is {found}.",
            code="extension_mismatch",
        )

    if found not in (PDF, DOCX, *TEXT_FORMATS):
        raise ExtractionError(
            f"The file is {found}; only PDF, Word (.docx), text, Markdown, CSV "
            "and HTML files can be searched.",
            code="image" if found.endswith("image") else "unsupported_type",
        )
    return found


def _pdf_pages(stream: BinaryIO, *, max_chars: int, max_seconds: float) -> list[Page]:
    """
    The pages of a PDF, read until ``max_chars`` characters or ``max_seconds``.

    A page can hold enough drawing operators to take seconds to read, so a
    small file could otherwise keep a worker busy for hours.
    """
    import pypdf
    from pypdf.errors import DependencyError, PyPdfError

    started = time.monotonic()
    try:
        reader = pypdf.PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(
                "The PDF is protected by a password.", code="encrypted"
            )
        pages = []
        total = 0
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            pages.append(Page(number, text))
            total += len(text)
            if total >= max_chars:
                break
            if time.monotonic() - started >= max_seconds:
                _stop_reading_slow_pdf(pages, len(reader.pages), max_seconds)
                break
    except DependencyError as error:
        raise ExtractionError(
            "The PDF uses an encryption this server cannot open.", code="encrypted"
        ) from error
    except PyPdfError as error:
        raise ExtractionError(
            "The PDF is damaged or incomplete and cannot be read.", code="broken"
        ) from error

    if pages and not any(page.text.strip() for page in pages):
        raise ExtractionError(
            "The PDF has no text layer (it is probably a scan); OCR is not supported.",
            code="no_text_layer",
        )
    return pages


def _stop_reading_slow_pdf(pages, page_count, max_seconds):
    """Keep the pages read in time, or refuse a PDF with no text in them."""
    if not any(page.text.strip() for page in pages):
        raise ExtractionError(
            f"The PDF took more than {max_seconds:g} seconds to read without "
            "showing any text, so it is not searched.",
            code="too_slow",
        )
    logger.warning(
        "PDF text extraction stopped after %s of %s pages (%s seconds)",
        len(pages),
        page_count,
        max_seconds,
    )


def _check_docx_size(stream: BinaryIO) -> None:
    """Refuse a Word document that would unpack into too much to read."""
    with zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
    stream.seek(0)

    unpacked = sum(member.file_size for member in members)
    document_xml = sum(
        member.file_size for member in members if member.filename == DOCX_DOCUMENT_PART
    )
    if (
        len(members) > DOCX_MAX_MEMBERS
        or unpacked > DOCX_MAX_UNPACKED_BYTES
        or document_xml > DOCX_MAX_DOCUMENT_XML_BYTES
    ):
        raise ExtractionError(
            "The Word document unpacks into more than this server reads "
            f"({DOCX_MAX_DOCUMENT_XML_BYTES // 1024**2} MB of text and layout, "
            f"{DOCX_MAX_UNPACKED_BYTES // 1024**2} MB in all); split it into "
            "smaller documents to search it.",
            code="too_large",
        )


def _docx_text(stream: BinaryIO) -> str:
    """Paragraphs and table rows in document order, one per line."""
    import docx
    from docx.table import Table
    from lxml import etree

    try:
        document = docx.Document(stream)
    except (ValueError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise ExtractionError(
            "The Word document is damaged and cannot be read.", code="broken"
        ) from error

    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        # A merged cell is repeated once per grid column it spans.
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append(" | ".join(cell.text for cell in cells))
    return rows


def _text(stream: BinaryIO, found: str, *, max_chars: int) -> str:
    data = _trim_partial_character(stream, max_chars * BYTES_PER_CHAR)

    if found == HTML:
        return _html_text(data)
    text = _decode(data)
    if found == MARKDOWN:
        # Markdown renders HTML entities, so "c&oacute;digo" reads "código".
        return html.unescape(text)
    if found == CSV:
        return _csv_text(text)
    return text


def _trim_partial_character(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit`` bytes, ending at whitespace when cut short."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data

    data = data[:limit]
    cut = max(data.rfind(b" ", -256), data.rfind(b"\n", -256))
    return data[:cut] if cut > 0 else data


def _decode(data: bytes) -> str:
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise ExtractionError(
            "The file is not text in any known encoding.", code="unsupported_type"
        )

    # Single-byte Latin code pages often decode the same bytes equally well;
    # Windows-1252 is by far the most common of them (and what browsers
    # assume for unlabelled Latin-1), so it wins a tie.
    for match in matches:
        tied = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tied and match.encoding == "cp1252":
            return str(match)
    return str(best)


def _html_text(data: bytes) -> str:
    from bs4 import BeautifulSoup, UnicodeDammit

    markup = UnicodeDammit(data, is_html=True).unicode_markup
    if markup is None:
        raise ExtractionError(
            "The HTML page is not text in any known encoding.",
            code="unsupported_type",
        )

    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(UNREADABLE_HTML_ELEMENTS):
        element.decompose()
    return soup.get_text("\n")


def _csv_text(text: str) -> str:
    """One line per row with its non-empty cells, so that rows read as prose."""
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error:
        return text
    return "\n".join(", ".join(cell for cell in row if cell.strip()) for row in rows)


def _clean(text: str) -> str:
    """Normalise the text for search: compatibility forms, no control bytes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    text = BLANK_LINES.sub("\n", text)
    return EXTRA_BLANK_LINES.sub("\n\n", text).strip()


def _capped(pages: list[Page], max_chars: int) -> list[Page]:
    capped = []
    remaining = max_chars
    for page in pages:
        if remaining <= 0:
            break
        capped.append(Page(page.number, page.text[:remaining]))
        remaining -= len(page.text)

    if remaining < 0:
        logger.warning("Extracted text truncated at %s characters", max_chars)
    return capped
