import pytest

from chat.extraction import Page, extract_pages
from chat.passages import MAX_WORD_CHARS, TextWindow, split_windows


def numbered_words(count: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{n}" for n in range(count))


def test_short_page_is_one_window_with_collapsed_whitespace():
    pages = [Page(3, "  Uno\n\ndos \t tres\n")]

    windows = split_windows(pages, words=10, overlap=2)

    assert windows == [TextWindow(position=0, page=3, text="Uno dos tres")]


def test_windows_overlap_and_cover_every_word():
    pages = [Page(None, numbered_words(25))]

    windows = split_windows(pages, words=10, overlap=3)

    assert [window.text.split() for window in windows] == [
        [f"w{n}" for n in range(0, 10)],
        [f"w{n}" for n in range(7, 17)],
        [f"w{n}" for n in range(14, 24)],
        [f"w{n}" for n in range(21, 25)],
    ]


def test_last_window_is_not_repeated_when_the_words_fit_exactly():
    pages = [Page(None, numbered_words(17))]

    windows = split_windows(pages, words=10, overlap=3)

    assert [window.text.split()[-1] for window in windows] == ["w9", "w16"]


def test_windows_never_cross_pages_and_remember_them():
    pages = [Page(1, numbered_words(12, "a")), Page(2, numbered_words(5, "b"))]

    windows = split_windows(pages, words=10, overlap=2)

    assert [(window.position, window.page) for window in windows] == [
        (0, 1),
        (1, 1),
        (2, 2),
    ]
    assert windows[1].text == "a8 a9 a10 a11"
    assert windows[2].text == "b0 b1 b2 b3 b4"


def test_page_without_words_gives_no_window():
    pages = [Page(1, "  \n "), Page(2, "text")]

    windows = split_windows(pages, words=10, overlap=2)

    assert windows == [TextWindow(position=0, page=2, text="text")]


def test_text_without_spaces_is_cut_into_bounded_words():
    text = "字" * (MAX_WORD_CHARS * 25)

    windows = split_windows([Page(None, text)], words=10, overlap=2)

    assert all(len(window.text) <= MAX_WORD_CHARS * 10 for window in windows)
    assert windows[0].text == text[: MAX_WORD_CHARS * 10]
    assert windows[-1].text.endswith("字")


@pytest.mark.parametrize(("words", "overlap"), [(0, 0), (10, 10), (10, -1)])
def test_overlap_must_leave_room_to_advance(words, overlap):
    with pytest.raises(ValueError):
        split_windows([Page(None, "text")], words=words, overlap=overlap)


def test_single_line_corpus_file_becomes_many_windows(corpus_dir):
    path = corpus_dir / "tricky/single-line-no-newlines-clarin-pipa.txt"
    with path.open("rb") as stream:
        pages = extract_pages(stream, content_type="text/plain", filename=path.name)

    windows = split_windows(pages, words=180, overlap=40)

    word_count = len(pages[0].text.split())
    assert len(windows) == 1 + -(-(word_count - 180) // 140)
    assert all(len(window.text.split()) == 180 for window in windows[:-1])
    assert windows[0].text.startswith("Ya nadie se acuerda de él.")
    assert pages[0].text.endswith(windows[-1].text)
