"""Text extraction: column order in PDFs, tables in DOCX, bad archives and bad PDFs."""

from __future__ import annotations

import io

import pytest

from hiresight.profiles.errors import (
    ResumeArchiveTooLargeError,
    ResumeCorruptError,
    ResumeEncryptedError,
    ResumeNoTextError,
)
from hiresight.profiles.extract import extract_docx, extract_pdf, extract_text, markdown_to_text
from tests.profiles.factories import (
    docx_bytes,
    image_only_pdf,
    pdf_bytes,
    right_aligned_dates_pdf,
    two_column_pdf,
    zip_bomb_docx,
)


def test_two_column_pdf_reads_left_column_then_right() -> None:
    """The sidebar is read fully before the main column, each top to bottom."""
    left = ["SKILLS", "Python, Go, Docker", "EDUCATION", "BSc Physics, University of Oslo"]
    right = ["EXPERIENCE", "Data Engineer, Fjord Energy — 2019-03 – 2021-06", "• Built pipelines"]
    text = extract_pdf(two_column_pdf("Søren Ødegård", left, right))
    lines = text.split("\n")
    assert lines[0] == "Søren Ødegård"
    assert lines[1:] == left + right


def test_right_aligned_dates_stay_on_their_title_line() -> None:
    """Dates beside titles are not mistaken for a second column."""
    lines = extract_pdf(right_aligned_dates_pdf()).split("\n")
    assert lines[1] == "Senior Engineer, Acme   Jan 2020 – Present"
    assert lines[3] == "Engineer, Initech   Mar 2018 – Dec 2019"


def test_one_column_pdf_keeps_line_order() -> None:
    """A plain one-column PDF comes out in reading order, Unicode intact."""
    lines = ["Nguyễn Văn An", "EXPERIENCE", "Frontend Developer, Kumo — Jan 2020 – Present"]
    assert extract_pdf(pdf_bytes(lines)).split("\n") == lines


def test_docx_keeps_tables_in_document_order() -> None:
    """A table between two paragraphs is read between them, a row per line."""
    data = docx_bytes(["José Muñoz", "EXPERIENCE"], table=[["Madrid", "jose@example.com"]])
    assert extract_docx(data).split("\n") == [
        "José Muñoz",
        "Madrid | jose@example.com",
        "EXPERIENCE",
    ]


def test_docx_zip_bomb_is_refused_before_extraction() -> None:
    """Declared sizes in the central directory trip the limit; nothing is inflated."""
    with pytest.raises(ResumeArchiveTooLargeError) as info:
        extract_docx(zip_bomb_docx())
    assert info.value.code == "resume_archive_too_large"


def test_corrupt_pdf_is_refused() -> None:
    """A truncated PDF gets resume_corrupt."""
    data = pdf_bytes(["Experience"])
    with pytest.raises(ResumeCorruptError) as info:
        extract_pdf(data[: len(data) // 3] + b"garbage")
    assert info.value.code in ("resume_corrupt", "resume_no_text")


def test_garbage_after_pdf_magic_is_corrupt() -> None:
    """Something that only starts like a PDF is corrupt, not a crash."""
    with pytest.raises(ResumeCorruptError):
        extract_pdf(b"%PDF-1.7\n" + b"\x00\xff" * 200)


def test_encrypted_pdf_is_refused() -> None:
    """A password-protected PDF gets resume_encrypted."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(["Experience", "Python"]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ResumeEncryptedError) as info:
        extract_pdf(buffer.getvalue())
    assert info.value.code == "resume_encrypted"


def test_image_only_pdf_has_no_text_layer() -> None:
    """A scan-like PDF gets resume_no_text with advice to export or upload DOCX/TXT."""
    with pytest.raises(ResumeNoTextError) as info:
        extract_pdf(image_only_pdf())
    assert info.value.code == "resume_no_text"
    assert "DOCX/TXT" in info.value.message


def test_markdown_links_keep_their_targets() -> None:
    """[GitHub](url) becomes "GitHub url" so contact links survive; emphasis is dropped."""
    text = markdown_to_text("# Ana\n**Python** · [GitHub](https://github.com/ana)")
    assert text == "Ana\nPython · GitHub https://github.com/ana"


def test_text_extraction_normalises_ligatures_and_newlines() -> None:
    """NFKC turns the "ﬁ" ligature into "fi" and CRLF into LF."""
    assert extract_text("ﬁrst line\r\nsecond".encode(), "txt") == "first line\nsecond"


def test_docx_layout_table_reads_each_column_fully() -> None:
    """A sidebar/main layout table is read cell by cell, not row by row."""
    import docx

    document = docx.Document()
    document.add_paragraph("Aisha Al-Farsi")
    left, right = document.add_table(rows=1, cols=2).rows[0].cells
    left.text = "SKILLS"
    left.add_paragraph("Python, SQL")
    right.text = "EXPERIENCE"
    right.add_paragraph("Data Scientist, Quantia — 2020 – 2023")
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_docx(buffer.getvalue()).split("\n") == [
        "Aisha Al-Farsi",
        "SKILLS",
        "Python, SQL",
        "EXPERIENCE",
        "Data Scientist, Quantia — 2020 – 2023",
    ]


def test_markdown_keeps_underscores_inside_words() -> None:
    """Emails and handles with underscores survive emphasis stripping."""
    assert markdown_to_text("ana_lima_dev@example.com _note_") == "ana_lima_dev@example.com note"


def test_docx_text_boxes_are_read_where_they_are_anchored() -> None:
    """Contact details in a Word text box are extracted, before the body that follows."""
    from tests.profiles.factories import docx_with_text_box

    data = docx_with_text_box(["Zoë Çelik", "zoe@example.com"], ["EXPERIENCE", "Dev, Acme"])
    lines = [line for line in extract_docx(data).split("\n") if line]
    assert lines == [
        "Zoë Çelik",
        "zoe@example.com",
        "EXPERIENCE",
        "Dev, Acme",
    ]


def test_a_docx_past_the_paragraph_limit_is_too_complex() -> None:
    """5,000 paragraphs (the probe's 87-second DOCX) are refused at once, before any is read."""
    import time

    from hiresight.profiles.errors import ResumeTooComplexError
    from tests.profiles.factories import many_paragraphs_docx

    data = many_paragraphs_docx(5_000)
    started = time.perf_counter()
    with pytest.raises(ResumeTooComplexError) as info:
        extract_docx(data)
    assert "5,002 paragraphs" in info.value.message  # the template's own, the heading, 5,000
    assert time.perf_counter() - started < 2


def test_a_docx_under_the_paragraph_limit_reads_fast() -> None:
    """1,900 paragraphs read in well under the seconds python-docx's style lookup used to take."""
    import time

    from tests.profiles.factories import many_paragraphs_docx

    data = many_paragraphs_docx(1_900)
    started = time.perf_counter()
    text = extract_docx(data)
    assert "• Engineer at Company 1," in text
    assert time.perf_counter() - started < 3
