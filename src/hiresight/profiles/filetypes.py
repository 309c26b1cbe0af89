"""Decide what a résumé file is from its bytes; the file name's extension is only a hint."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import PurePath
from typing import Literal

from hiresight.profiles.errors import (
    ResumeBadEncodingError,
    ResumeEmptyError,
    ResumeTooLargeError,
    ResumeTypeMismatchError,
    ResumeUnsupportedTypeError,
)

FileType = Literal["pdf", "docx", "txt", "md"]

MAX_RESUME_BYTES = 10 * 1024 * 1024

# Extensions we recognise; txt and md are one family because a plain-text résumé with a
# heading or two is legitimately either.
_EXTENSION_FAMILY = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
}
_FAMILY = {"pdf": "pdf", "docx": "docx", "txt": "text", "md": "text"}

_MD_HEADING = re.compile(r"^(#{1,6}\s+\S|\S.*\n(=+|-{3,})\s*$)", re.MULTILINE)
_MD_INLINE = re.compile(r"\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)")
# Typographic characters Windows-1252 puts in 0x80-0x9F that real Latin text uses.
_CP1252_PUNCTUATION = set("‘’“”–—•…€™")


def check_size(data: bytes) -> None:
    """Refuse empty and over-limit uploads before any parsing."""
    if len(data) > MAX_RESUME_BYTES:
        raise ResumeTooLargeError()
    if not data.strip():
        raise ResumeEmptyError()


def _is_docx(data: bytes) -> bool:
    """A ZIP whose central directory names word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_latin(text: str) -> bool:
    """True when every non-ASCII character is a letter, mark or common typographic sign."""
    for ch in text:
        if ch.isascii():
            if ch < " " and ch not in "\t\r\n\f":
                return False
            continue
        if ch in _CP1252_PUNCTUATION or ch == "\xa0":
            continue
        if unicodedata.category(ch)[0] not in "LM" and ch not in "°§©®±·×÷«»¿¡":
            return False
    return True


def decode_text(data: bytes) -> str:
    """Decode a text résumé: UTF-8 (BOM optional), UTF-16 with a BOM, else clear Latin cp1252.

    cp1252 is accepted only when the result is plainly Latin prose (letters plus typographic
    punctuation), because older Windows editors still save "ANSI" files; anything else is refused
    rather than guessed, so a candidate never sees their résumé as mojibake.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ResumeBadEncodingError() from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ResumeBadEncodingError() from exc
            if not _looks_latin(text):
                raise ResumeBadEncodingError() from None
    if "\x00" in text:
        raise ResumeBadEncodingError()
    return text.lstrip("\ufeff")


def _text_kind(data: bytes) -> FileType:
    """Markdown when it has a heading or two inline markers (bold, links); else plain text.

    List markers alone do not decide: plain-text résumés use "- " bullets just as often.
    """
    text = decode_text(data)
    if _MD_HEADING.search(text) or len(_MD_INLINE.findall(text)) >= 2:
        return "md"
    return "txt"


def sniff_file_type(data: bytes) -> FileType:
    """The résumé's type by content: PDF magic, DOCX zip layout, or decodable text."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise ResumeUnsupportedTypeError("This archive is not a Word (.docx) document.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ResumeUnsupportedTypeError(
            "Legacy Word (.doc) files are not supported; save as .docx or PDF."
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise ResumeUnsupportedTypeError("RTF files are not supported; save as .docx or PDF.")
    has_utf16_bom = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data and not has_utf16_bom:
        raise ResumeUnsupportedTypeError()
    return _text_kind(data)


def check_extension(kind: FileType, filename: str | None) -> None:
    """Refuse a file whose known extension names a different type than its content."""
    if not filename:
        return
    suffix = PurePath(filename).suffix.lower()
    expected = _EXTENSION_FAMILY.get(suffix)
    if expected is not None and expected != _FAMILY[kind]:
        raise ResumeTypeMismatchError(
            f"The file is named {suffix} but its content is {kind.upper()}; "
            "rename it or export it again."
        )
