"""
Splitting extracted pages into overlapping windows of text for retrieval.

Each window becomes a ``chat.models.Passage``. A window of words never
crosses a page, so that each passage can cite its page. Consecutive windows
share ``overlap`` words, so that a sentence cut by one window is whole in
the next.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from chat.extraction import Page

DEFAULT_WORDS = 180
DEFAULT_OVERLAP = 40

# A run of text without spaces (a URL, a long CSV cell, Chinese or Thai
# text) counts as one word per this many characters, which bounds the length
# of a window whatever the script.
MAX_WORD_CHARS = 40

WORD = re.compile(rf"\S{{1,{MAX_WORD_CHARS}}}")


@dataclass(frozen=True)
class TextWindow:
    """A window of a page's text; ``position`` orders windows in a version."""

    position: int
    page: int | None
    text: str


def split_windows(
    pages: Iterable[Page],
    *,
    words: int = DEFAULT_WORDS,
    overlap: int = DEFAULT_OVERLAP,
) -> list[TextWindow]:
    """
    Cut pages into windows of ``words`` words sharing ``overlap`` words.

    Whitespace inside a window is collapsed to single spaces. A page shorter
    than ``words`` gives one window; a page without words gives none.
    """
    if words < 1 or not 0 <= overlap < words:
        raise ValueError("A window needs at least one word more than its overlap.")

    windows = []
    for page in pages:
        for text in _window_texts(page.text, words=words, overlap=overlap):
            windows.append(TextWindow(len(windows), page.number, text))
    return windows


def _window_texts(text: str, *, words: int, overlap: int) -> Iterable[str]:
    spans = [match.span() for match in WORD.finditer(text)]
    start = 0
    while start < len(spans):
        end = min(start + words, len(spans))
        window = text[spans[start][0] : spans[end - 1][1]]
        yield " ".join(window.split())
        if end == len(spans):
            break
        start = end - overlap
