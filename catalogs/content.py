"""
What a file's bytes are: their size, SHA-256 and sniffed content type.

Nothing here trusts what a client says about a file. The type comes from the
first bytes; the extension is only consulted to tell kinds of text apart,
once the bytes have shown they are text.
"""

import codecs
import hashlib
import posixpath
import unicodedata
from dataclasses import dataclass

import filetype
from django.utils.text import slugify

CHUNK_SIZE = 1024 * 1024
SNIFF_SIZE = 8192  # what filetype reads, and enough to tell text from binary

TEXT_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".csv": "text/csv",
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
}
DEFAULT_TEXT_TYPE = "text/plain"
BINARY_TYPE = "application/octet-stream"

# Control characters and line or paragraph separators.
UNPRINTABLE_CATEGORIES = {"Cc", "Zl", "Zp"}
# Embeddings, overrides and isolates reorder the text around them, so that
# "report\u202efdp.exe" shows as "reportexe.pdf". Right-to-left names need
# none of them; the plain marks U+200E and U+200F reorder nothing and stay.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SAFE_STEM_LENGTH = 80
SAFE_EXTENSION_LENGTH = 12


@dataclass(frozen=True)
class ContentFacts:
    size: int
    sha256: str
    content_type: str


def describe_chunks(chunks, *, name):
    """Size, SHA-256 and sniffed type of a stream of byte chunks, read once."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if len(head) < SNIFF_SIZE:
            head += chunk[: SNIFF_SIZE - len(head)]

    content_type = sniff_content_type(head, name=name, complete=size == len(head))
    return ContentFacts(size=size, sha256=digest.hexdigest(), content_type=content_type)


def sniff_content_type(head, *, name, complete):
    """
    The content type of a file that starts with `head`.

    `complete` says whether `head` is the whole file, so that a multi-byte
    character cut off at its end is not mistaken for binary data.
    """
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return kind.mime
    if not looks_like_text(head, complete=complete):
        return BINARY_TYPE

    extension = posixpath.splitext(name.lower())[1]
    return TEXT_TYPES.get(extension, DEFAULT_TEXT_TYPE)


def looks_like_text(head, *, complete):
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return looks_like_legacy_text(head)
    return True


def looks_like_legacy_text(head):
    """Text in an older single-byte encoding, such as Windows-1252."""
    from charset_normalizer import from_bytes

    return from_bytes(head).best() is not None


def clean_display_name(name):
    """
    A file name fit for display and for a download header.

    Control characters, line breaks and direction controls go and
    surrounding spaces are trimmed; everything else (slashes, dots, unicode,
    emoji) is kept as written.
    """
    kept = "".join(
        char
        for char in name
        if unicodedata.category(char) not in UNPRINTABLE_CATEGORIES
        and char not in DIRECTION_CONTROLS
    )
    return kept.strip()


def safe_key_name(name):
    """
    A form of `name` that is safe as the last part of a storage key.

    ASCII letters, digits, hyphens and one dot before a short extension; it
    never contains a slash, never starts with a dot and stays short whatever
    the original looks like.
    """
    stem, extension = posixpath.splitext(name.replace("\\", "/").rsplit("/", 1)[-1])
    extension = slugify(extension)[:SAFE_EXTENSION_LENGTH]
    stem = slugify(stem)[:SAFE_STEM_LENGTH].strip("-") or "file"
    return f"{stem}.{extension}" if extension else stem
