import io
import zipfile

import docx
import pypdf
import pytest

from chat.extraction import (
    ExtractionError,
    NothingToExtract,
    Page,
    extract_pages,
)
from tests.chat.factories import pdf_bytes

SPANISH = (
    "La acción transcurre en un pequeño pueblo de montaña. El niño, que se "
    "llamaba Pinín, cuidaba de la vaca con su hermana. ¿Qué podían hacer "
    "cuando pasaba el tren? Nada más que mirar cómo se alejaba. "
)


def extract(data: bytes, filename: str, content_type: str = "", **kwargs):
    return extract_pages(
        io.BytesIO(data), content_type=content_type, filename=filename, **kwargs
    )


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


def test_pdf_gives_one_numbered_page_per_page():
    data = pdf_bytes("Acción rápida del niño", "Second page text")

    pages = extract(data, "report.pdf", "application/pdf")

    assert pages == [
        Page(1, "Acción rápida del niño"),
        Page(2, "Second page text"),
    ]


def test_pdf_is_recognised_by_content_whatever_the_content_type():
    pages = extract(pdf_bytes("Hello"), "report.pdf", "application/octet-stream")

    assert pages == [Page(1, "Hello")]


def test_pdf_reading_stops_when_its_time_is_up_keeping_the_pages_read():
    data = pdf_bytes("First page", "Second page", "Third page")

    pages = extract(data, "long.pdf", max_seconds=0)

    assert pages == [Page(1, "First page")]


def test_pdf_without_text_in_the_pages_read_in_time_is_refused():
    data = pdf_bytes("", "", "Late text")

    with pytest.raises(ExtractionError) as caught:
        extract(data, "drawing.pdf", max_seconds=0)

    assert caught.value.code == "too_slow"
    assert str(caught.value) == (
        "The PDF took more than 0 seconds to read without showing any text, "
        "so it is not searched."
    )


def test_pdf_with_a_user_password_is_refused():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes("Secret")))
    writer.encrypt(user_password="open sesame", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ExtractionError) as caught:
        extract(buffer.getvalue(), "secret.pdf")

    assert caught.value.code == "encrypted"
    assert "password" in str(caught.value)


def test_pdf_with_only_an_owner_password_is_read():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes("Restricted text")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)

    pages = extract(buffer.getvalue(), "restricted.pdf")

    assert pages == [Page(1, "Restricted text")]


def test_truncated_pdf_is_refused_as_broken():
    data = pdf_bytes("Some text " * 200)

    with pytest.raises(ExtractionError) as caught:
        extract(data[: len(data) // 2], "half.pdf")

    assert caught.value.code == "broken"


def test_pdf_without_a_text_layer_is_refused():
    with pytest.raises(ExtractionError) as caught:
        extract(pdf_bytes("", ""), "scan.pdf")

    assert caught.value.code == "no_text_layer"
    assert "OCR is not supported" in str(caught.value)
    assert not isinstance(caught.value, NothingToExtract)


def test_docx_keeps_paragraphs_and_tables_in_document_order():
    document = docx.Document()
    document.add_heading("Informe anual", level=1)
    document.add_paragraph("Antes de la tabla.")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Región"
    table.cell(0, 2).text = "Ventas"
    table.cell(1, 0).text = "Norte"
    table.cell(1, 1).text = "Sur"
    table.cell(1, 2).text = "42"
    document.add_paragraph("Después de la tabla.")

    pages = extract(docx_bytes(document), "informe.docx")

    assert pages == [
        Page(
            None,
            "Informe anual\nAntes de la tabla.\nRegión | Ventas\n"
            "Norte | Sur | 42\nDespués de la tabla.",
        )
    ]


def test_docx_without_text_is_nothing_to_extract():
    with pytest.raises(NothingToExtract):
        extract(docx_bytes(docx.Document()), "blank.docx")


def compressed_docx(document_xml: bytes, *extra_members: tuple[str, bytes]) -> bytes:
    """A Word document whose parts are deflated, as a bomb would be."""
    parts = [
        (
            "[Content_Types].xml",
            docx_part(docx_bytes(docx.Document()), "[Content_Types].xml"),
        ),
        ("word/document.xml", document_xml),
        *extra_members,
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_docx_that_unpacks_into_a_huge_document_is_refused_unread():
    paragraphs = b"<w:p/>" * (6 * 1024 * 1024)
    data = compressed_docx(
        b"<w:document><w:body>" + paragraphs + b"</w:body></w:document>"
    )

    with pytest.raises(ExtractionError) as caught:
        extract(data, "report.docx")

    assert len(data) < 1024 * 1024
    assert caught.value.code == "too_large"
    assert "split it into smaller documents" in str(caught.value)


def test_docx_with_a_huge_hidden_part_is_refused_unread():
    document = docx.Document()
    document.add_paragraph("Short report.")
    document_xml = docx_part(docx_bytes(document), "word/document.xml")
    padding = ("word/media/padding.bin", bytes(250 * 1024 * 1024))

    with pytest.raises(ExtractionError) as caught:
        extract(compressed_docx(document_xml, padding), "report.docx")

    assert caught.value.code == "too_large"


def test_spreadsheet_named_docx_is_refused():
    data = zip_bytes("[Content_Types].xml", "xl/workbook.xml")

    with pytest.raises(ExtractionError) as caught:
        extract(data, "budget.docx")

    assert caught.value.code == "extension_mismatch"
    assert str(caught.value) == (
        "The file is named .docx but its content is an Excel spreadsheet."
    )


def test_zip_archive_is_refused_as_unsupported():
    with pytest.raises(ExtractionError) as caught:
        extract(zip_bytes("notes.txt"), "bundle.zip")

    assert caught.value.code == "unsupported_type"
    assert "a ZIP archive" in str(caught.value)


def test_png_named_pdf_is_refused():
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

    with pytest.raises(ExtractionError) as caught:
        extract(data, "scan.pdf", "image/png")

    assert caught.value.code == "extension_mismatch"
    assert str(caught.value) == "The file is named .pdf but its content is a PNG image."


def test_image_is_refused():
    data = b"\xff\xd8\xff\xe0" + bytes(range(256))

    with pytest.raises(ExtractionError) as caught:
        extract(data, "photo.jpg", "image/jpeg")

    assert caught.value.code == "image"


def test_bmp_image_is_refused_but_text_starting_like_one_is_read():
    bmp = b"BM" + (1078).to_bytes(4, "little") + bytes(4) + bytes(range(200))

    with pytest.raises(ExtractionError) as caught:
        extract(bmp, "picture", "application/octet-stream")
    pages = extract(b"BMW cars are made in Bavaria.", "cars", "text/plain")

    assert caught.value.code == "image"
    assert pages == [Page(None, "BMW cars are made in Bavaria.")]


def test_pdf_named_docx_is_refused():
    with pytest.raises(ExtractionError) as caught:
        extract(pdf_bytes("Hello"), "letter.docx")

    assert caught.value.code == "extension_mismatch"
    assert "a PDF document" in str(caught.value)


def test_binary_content_of_unknown_type_is_refused():
    data = bytes(range(256)) * 16

    with pytest.raises(ExtractionError) as caught:
        extract(data, "blob.bin", "application/octet-stream")

    assert caught.value.code == "unsupported_type"


def test_empty_file_is_nothing_to_extract():
    with pytest.raises(NothingToExtract) as caught:
        extract(b"", "empty.txt", "text/plain")

    assert caught.value.code == "empty"


def test_whitespace_only_text_is_nothing_to_extract():
    with pytest.raises(NothingToExtract):
        extract(b" \n\r\n\t \n", "blank.txt", "text/plain")


def test_utf8_text_is_read_as_one_page_without_number():
    pages = extract(SPANISH.encode(), "cuento.txt", "text/plain")

    assert pages == [Page(None, SPANISH.strip())]


def test_windows_1252_text_is_decoded():
    data = (SPANISH * 4).replace("\n", "\r\n").encode("cp1252")

    pages = extract(data, "cuento.txt", "text/plain")

    assert "pequeño" in pages[0].text
    assert "¿Qué podían hacer" in pages[0].text


def test_text_without_an_extension_is_read_by_content():
    pages = extract(b"Plain words in a file without extension.", "README")

    assert pages == [Page(None, "Plain words in a file without extension.")]


def test_text_is_normalised_for_search():
    data = "The \ufb01rst line\r\n\r\n\r\n\r\nsecond\x00 line\n".encode()

    pages = extract(data, "notes.txt", "text/plain")

    assert pages == [Page(None, "The first line\n\nsecond line")]


def test_markdown_html_entities_are_decoded():
    data = b"# Gu\xc3\xada\n\nC&oacute;digo abierto &amp; libre."

    pages = extract(data, "guia.md", "text/plain")

    assert pages == [Page(None, "# Guía\n\nCódigo abierto & libre.")]


def test_csv_rows_become_lines_of_cells():
    data = b'name,capital,currency\nAfghanistan,Kabul,AFN\n"Bonaire, Sint",,USD\n'

    pages = extract(data, "countries.csv", "text/csv")

    assert pages == [
        Page(
            None,
            "name, capital, currency\nAfghanistan, Kabul, AFN\nBonaire, Sint, USD",
        )
    ]


def test_html_markup_scripts_styles_and_navigation_are_dropped():
    data = (
        "<!DOCTYPE html><html><head><meta charset='windows-1252'>"
        "<title>Fechas</title><style>p { color: red }</style>"
        "<script>var secret = 1;</script></head><body>"
        "<nav><a href='/'>Inicio</a></nav>"
        "<p>El formato <b>AAAA-MM-DD</b> es de la norma ISO 8601.</p>"
        "<p>Año y mes.</p></body></html>"
    ).encode("cp1252")

    pages = extract(data, "fechas.html", "text/html")

    text = pages[0].text
    assert "AAAA-MM-DD" in text
    assert "Año y mes." in text
    assert "secret" not in text
    assert "color" not in text
    assert "Inicio" not in text


def test_html_page_saved_as_text_without_extension_is_stripped():
    data = b"<html><body><p>Only the words.</p></body></html>"

    pages = extract(data, "page", "text/html")

    assert pages == [Page(None, "Only the words.")]


def test_text_is_capped_at_max_chars():
    data = ("word " * 1000).encode()

    pages = extract(data, "long.txt", "text/plain", max_chars=100)

    assert len(pages[0].text) <= 100
    assert pages[0].text.startswith("word word")


def test_pdf_pages_beyond_max_chars_are_dropped():
    data = pdf_bytes("first " * 20, "second " * 20, "third " * 20)

    pages = extract(data, "long.pdf", max_chars=150)

    assert [page.number for page in pages] == [1, 2]
    assert sum(len(page.text) for page in pages) == 150


class TestCorpus:
    """The real documents and problem files described in the corpus manifest."""

    def read(self, path):
        with path.open("rb") as stream:
            return extract_pages(stream, content_type="", filename=path.name)

    def refusal(self, path):
        with pytest.raises(ExtractionError) as caught:
            self.read(path)
        return caught.value

    def test_every_document_gives_text(self, corpus_dir):
        documents = sorted((corpus_dir / "docs").iterdir())

        for path in documents:
            pages = self.read(path)
            assert sum(len(page.text) for page in pages) > 100, path.name

    def test_pdf_pages_are_numbered(self, corpus_dir):
        pages = self.read(corpus_dir / "docs" / "word-processor-history.pdf")

        assert [page.number for page in pages] == [1, 2, 3, 4, 5]
        assert "MT/ST" in " ".join(page.text for page in pages)

    def test_encrypted_pdf_is_refused(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/encrypted-password-openpassword.pdf")

        assert error.code == "encrypted"

    def test_pdf_with_only_an_owner_password_is_read(self, corpus_dir):
        pages = self.read(corpus_dir / "tricky/owner-password-only-restricted.pdf")

        assert "pdf encryption test" in pages[0].text

    def test_truncated_pdf_is_refused(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/truncated-half.pdf")

        assert error.code == "broken"

    def test_scanned_pdf_without_text_layer_is_refused(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/scanned-image-only-no-text-layer.pdf")

        assert error.code == "no_text_layer"

    def test_empty_file_is_nothing_to_extract(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/empty.txt")

        assert isinstance(error, NothingToExtract)

    def test_png_named_pdf_is_refused(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/actually-a-png-image.pdf")

        assert error.code == "extension_mismatch"
        assert "PNG image" in str(error)

    def test_xlsx_named_docx_is_refused(self, corpus_dir):
        error = self.refusal(corpus_dir / "tricky/actually-an-xlsx-spreadsheet.docx")

        assert error.code == "extension_mismatch"
        assert "spreadsheet" in str(error)

    def test_single_line_file_is_read_whole(self, corpus_dir):
        path = corpus_dir / "tricky/single-line-no-newlines-clarin-pipa.txt"

        pages = self.read(path)

        assert pages[0].text.startswith("Ya nadie se acuerda de él.")
        assert "\n" not in pages[0].text
        assert len(pages[0].text) > 400_000

    def test_windows_1252_story_keeps_its_accents(self, corpus_dir):
        path = corpus_dir / "tricky/galdos-conjuracion-de-las-palabras-windows-1252.txt"

        text = self.read(path)[0].text

        assert text.startswith("La conjuración de las palabras\n\nÉrase un gran")
        assert "ñ" in text
        assert "ń" not in text

    def test_non_ascii_names_are_read(self, corpus_dir):
        pdf = self.read(corpus_dir / "tricky/informe año 2024.pdf")
        markdown = self.read(corpus_dir / "tricky/notas de reunión 📝 ✅ logs.md")

        assert pdf[0].text.startswith("Flor de mayo")
        assert markdown[0].text.startswith("## XI. Historiales")

    def test_html_page_loses_its_scripts(self, corpus_dir):
        text = self.read(corpus_dir / "docs/w3c-formatos-de-fechas.html")[0].text

        assert "AAAA-MM-DD" in text
        assert "f.directory" not in text
