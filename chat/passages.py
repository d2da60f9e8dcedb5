"""
Splitting extracted pages into overlapping passages for retrieval.

A passage is a window of words that never crosses a page, so that each one
can cite its page. Consecutive windows share ``overlap`` words, so that a
sentence cut by one window is whole in the next.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from chat.extraction import Page

DEFAULT_WORDS = 180
DEFAULT_OVERLAP = 40

# A run of text without spaces (a URL, a long CSV cell, Chinese or Thai
# text) counts as one word per this many characters, which bounds the length
# of a passage whatever the script.
MAX_WORD_CHARS = 40

WORD = re.compile(rf"\S{{1,{MAX_WORD_CHARS}}}")


@dataclass(frozen=True)
class Passage:
    """A window of a page's text; ``position`` orders passages in a version."""

    position: int
    page: int | None
    text: str


def split_passages(
    pages: Iterable[Page],
    *,
    words: int = DEFAULT_WORDS,
    overlap: int = DEFAULT_OVERLAP,
) -> list[Passage]:
    """
    Cut pages into passages of ``words`` words sharing ``overlap`` words.

    Whitespace inside a passage is collapsed to single spaces. A page shorter
    than ``words`` gives one passage; a page without words gives none.
    """
    if words < 1 or not 0 <= overlap < words:
        raise ValueError("A passage needs at least one word more than its overlap.")

    passages = []
    for page in pages:
        for text in _windows(page.text, words=words, overlap=overlap):
            passages.append(Passage(len(passages), page.number, text))
    return passages


def _windows(text: str, *, words: int, overlap: int) -> Iterable[str]:
    spans = [match.span() for match in WORD.finditer(text)]
    start = 0
    while start < len(spans):
        end = min(start + words, len(spans))
        window = text[spans[start][0] : spans[end - 1][1]]
        yield " ".join(window.split())
        if end == len(spans):
            break
        start = end - overlap
