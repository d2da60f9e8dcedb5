import hashlib

import pytest

from catalogs.content import (
    SNIFF_SIZE,
    clean_display_name,
    describe_chunks,
    safe_key_name,
)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("Informe Año 2024.PDF", "informe-ano-2024.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", "file"),
        (".env.example", "env.example"),
        ("📝✅.md", "file.md"),
        ("报告", "file"),
        ("a" * 300 + ".txt", "a" * 80 + ".txt"),
        ("x." + "e" * 40, "x." + "e" * 12),
        ("tab\there\x00.txt", "tab-here.txt"),
    ],
)
def test_safe_key_names(name, safe):
    assert safe_key_name(name) == safe


def test_display_names_lose_only_control_characters_and_line_breaks():
    assert clean_display_name("  a\x00b\u2028c\td 📝 ../x ") == "abcd 📝 ../x"
    assert clean_display_name("👨‍👩‍👧 family.txt") == "👨‍👩‍👧 family.txt"


def test_description_reads_chunks_once_and_sniffs_only_the_start():
    chunks = [b"%PDF-1.7\n", b"x" * SNIFF_SIZE, b"\xff\x00" * 100]

    facts = describe_chunks(iter(chunks), name="anything.txt")

    data = b"".join(chunks)
    assert facts.size == len(data)
    assert facts.sha256 == hashlib.sha256(data).hexdigest()
    assert facts.content_type == "application/pdf"


def test_utf8_text_cut_inside_a_character_is_still_text():
    text = ("ñ" * SNIFF_SIZE).encode()  # two bytes each: the head ends mid-way

    facts = describe_chunks(
        [text[: SNIFF_SIZE + 1], text[SNIFF_SIZE + 1 :]], name="a.md"
    )

    assert facts.content_type == "text/markdown"
