"""Content sniffing, extension checks, size limits and text decoding."""

from __future__ import annotations

import pytest

from hiresight.profiles.errors import (
    ResumeBadEncodingError,
    ResumeEmptyError,
    ResumeTooLargeError,
    ResumeTypeMismatchError,
    ResumeUnsupportedTypeError,
)
from hiresight.profiles.filetypes import (
    MAX_RESUME_BYTES,
    check_extension,
    check_size,
    decode_text,
    sniff_file_type,
)
from tests.profiles.factories import docx_bytes, pdf_bytes


def test_sniffs_pdf_by_magic_bytes() -> None:
    """A PDF is recognised from %PDF- whatever it is called."""
    assert sniff_file_type(pdf_bytes(["Experience"])) == "pdf"


def test_sniffs_docx_by_zip_layout() -> None:
    """A ZIP holding word/document.xml is a DOCX."""
    assert sniff_file_type(docx_bytes(["Experience"])) == "docx"


def test_sniffs_markdown_by_headings() -> None:
    """ATX headings make UTF-8 text Markdown."""
    assert sniff_file_type(b"# Ana Lima\n\n## Experience\n- Built things\n") == "md"


def test_sniffs_plain_text() -> None:
    """Text with bullets but no Markdown headings or links stays plain text."""
    assert sniff_file_type(b"Ana Lima\nExperience\n- Built things\n") == "txt"


def test_refuses_a_zip_that_is_not_docx() -> None:
    """An arbitrary archive is an unsupported type, not a corrupt DOCX."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ResumeUnsupportedTypeError) as info:
        sniff_file_type(buffer.getvalue())
    assert info.value.code == "resume_unsupported_type"


def test_refuses_legacy_word_files() -> None:
    """OLE2 .doc files get a message naming the fix."""
    with pytest.raises(ResumeUnsupportedTypeError, match=r"\.docx"):
        sniff_file_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_refuses_binary_garbage() -> None:
    """Bytes with NULs and no known magic are not a résumé."""
    with pytest.raises(ResumeUnsupportedTypeError):
        sniff_file_type(bytes(range(256)))


def test_pdf_named_docx_is_a_type_mismatch() -> None:
    """The extension is a hint; contradicting the content is refused with a stable code."""
    with pytest.raises(ResumeTypeMismatchError) as info:
        check_extension("pdf", "cv.docx")
    assert info.value.code == "resume_type_mismatch"


@pytest.mark.parametrize(
    ("kind", "name"), [("md", "cv.txt"), ("txt", "cv.md"), ("pdf", "cv"), ("pdf", None)]
)
def test_compatible_or_missing_extensions_pass(kind: str, name: str | None) -> None:
    """txt and md are one family; no extension means no check."""
    check_extension(kind, name)  # type: ignore[arg-type]


def test_empty_and_whitespace_files_are_refused() -> None:
    """An empty upload gets resume_empty."""
    for data in (b"", b"   \n\t "):
        with pytest.raises(ResumeEmptyError):
            check_size(data)


def test_files_over_ten_megabytes_are_refused() -> None:
    """The size limit is checked before any parsing."""
    with pytest.raises(ResumeTooLargeError) as info:
        check_size(b"a" * (MAX_RESUME_BYTES + 1))
    assert info.value.code == "resume_too_large"


def test_decodes_utf16_with_bom() -> None:
    """UTF-16 text with a byte-order mark is read."""
    assert decode_text("Søren Ødegård".encode("utf-16")) == "Søren Ødegård"


def test_decodes_clear_latin_cp1252() -> None:
    """A Windows "ANSI" file of Latin prose is decoded rather than refused."""
    assert decode_text("José Muñoz – Café".encode("cp1252")) == "José Muñoz – Café"


def test_refuses_undecodable_text() -> None:
    """Bytes that are neither UTF-8, UTF-16 with BOM nor clearly Latin get resume_bad_encoding."""
    with pytest.raises(ResumeBadEncodingError) as info:
        decode_text(b"Name\x81\x8d\x8f\x90\x9d plus control \x01\x02")
    assert info.value.code == "resume_bad_encoding"


def test_refuses_rtf_with_advice() -> None:
    """RTF is text-like but not plain text; the message says what to export instead."""
    with pytest.raises(ResumeUnsupportedTypeError, match=r"RTF"):
        sniff_file_type(b"{\\rtf1\\ansi Experience}")
