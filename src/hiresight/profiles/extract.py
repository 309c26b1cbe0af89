"""Plain text out of PDF, DOCX, TXT and Markdown résumés, in reading order.

Each format has limits past which a file is refused as `resume_too_complex` (PDF: `pdf.py`;
DOCX: `MAX_DOCX_PARAGRAPHS`, `MAX_DOCX_TABLE_CELLS`); the text of any format is capped at
`MAX_TEXT_CHARS`.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import Any

from hiresight.profiles.errors import (
    ResumeArchiveTooLargeError,
    ResumeCorruptError,
    ResumeError,
    ResumeNoTextError,
    ResumeTooComplexError,
)
from hiresight.profiles.filetypes import FileType, decode_text
from hiresight.profiles.pdf import pdf_lines

# A real résumé DOCX expands to well under a few MB; images are what make it big.
MAX_DOCX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_DOCX_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 150
# Paragraphs (in the body, tables, text boxes and the header) and table cells one DOCX may
# hold; a long résumé has a few hundred paragraphs.
MAX_DOCX_PARAGRAPHS = 2_000
MAX_DOCX_TABLE_CELLS = 2_000
# A long résumé is ~30k characters; anything past this is not read, which also bounds the
# cost of every regex downstream on hostile input.
MAX_TEXT_CHARS = 200_000


def normalise_text(text: str) -> str:
    """NFKC (ligatures, non-breaking spaces), unify newlines, drop trailing spaces; cap length."""
    text = text[:MAX_TEXT_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200b", "").replace("\t", "  ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


# ---------------------------------------------------------------- PDF


def extract_pdf(data: bytes) -> str:
    """Layout-aware PDF text with two-column pages read column by column (see `pdf.py`)."""
    text = normalise_text("\n".join(pdf_lines(data)))
    if len(re.sub(r"\W", "", text)) < 20:
        raise ResumeNoTextError()
    return text


# ---------------------------------------------------------------- DOCX


def check_docx_archive(data: bytes) -> None:
    """Refuse zip bombs from the central directory, before anything is decompressed.

    zipfile stops reading a member after its declared size (and fails its CRC), so a member
    cannot inflate past what the directory claims; the declared sizes are enough to judge.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ResumeCorruptError() from exc
    if len(members) > MAX_DOCX_MEMBERS:
        raise ResumeArchiveTooLargeError()
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and member.file_size > 1024 * 1024:
            raise ResumeArchiveTooLargeError()
    if total > MAX_DOCX_UNCOMPRESSED:
        raise ResumeArchiveTooLargeError()


def check_docx_size(document: Any) -> None:
    """Refuse a document past `MAX_DOCX_PARAGRAPHS` or `MAX_DOCX_TABLE_CELLS`.

    Counted on the XML tree (paragraphs in tables, text boxes and headers included) before
    python-docx builds an object for any of them.
    """
    from docx.oxml.ns import qn

    paragraphs = cells = 0
    for part in (document.part, *(s.header.part for s in document.sections[:1])):
        paragraphs += sum(1 for _ in part.element.iter(qn("w:p")))
        cells += sum(1 for _ in part.element.iter(qn("w:tc")))
    if paragraphs > MAX_DOCX_PARAGRAPHS or cells > MAX_DOCX_TABLE_CELLS:
        raise ResumeTooComplexError(
            f"This document has {paragraphs:,} paragraphs and {cells:,} table cells; a résumé "
            f"may have at most {MAX_DOCX_PARAGRAPHS:,} and {MAX_DOCX_TABLE_CELLS:,}."
        )


def _style_names(document: Any) -> dict[str, str]:
    """Paragraph style names by style id, read once per document.

    python-docx's `paragraph.style` searches every style for the default on each call: 87 s
    for a 5,000-paragraph file, against milliseconds for one lookup table.
    """
    return {s.style_id: s.name or "" for s in document.styles if s.style_id}


def _paragraph_text(paragraph: Any, styles: dict[str, str]) -> str:
    """A paragraph's text, with hyperlink targets appended when the text hides them.

    List paragraphs get a "• " marker back: Word stores bullets as numbering, not text, and
    the experience parser uses markers to tell a role's bullets from its header lines.
    """
    text: str = paragraph.text
    style = styles.get(paragraph._p.style or "", "")
    if text.strip() and (
        style.startswith("List")
        or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None)
    ):
        text = f"• {text}"
    for link in paragraph.hyperlinks:
        address = link.address or ""
        if address.startswith("http") and address.rstrip("/") not in text:
            text = f"{text} {address}"
    return text


def _text_box_lines(paragraph: Any) -> list[str]:
    """Lines of text boxes anchored in a paragraph (Word templates put sidebars in them).

    python-docx does not read text boxes; Word stores each twice (a DrawingML box and a VML
    fallback), hence the de-duplication.
    """
    from docx.oxml.ns import qn

    lines: list[str] = []
    for box in paragraph._p.iter(qn("w:txbxContent")):
        for p in box.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if text.strip():
                lines.append(text)
    return list(dict.fromkeys(lines))


def _block_lines(container: Any, styles: dict[str, str]) -> Iterator[str]:
    """Paragraphs and tables in document order; a table row of short cells becomes one line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield from _text_box_lines(block)
            yield _paragraph_text(block, styles)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(row.cells))  # merged cells repeat
                texts = [cell.text.strip() for cell in cells]
                if all("\n" not in t for t in texts):
                    yield " | ".join(t for t in texts if t)
                else:
                    # A layout table (sidebar + main): read each cell fully, left to right.
                    for cell in cells:
                        yield from _block_lines(cell, styles)


def extract_docx(data: bytes) -> str:
    """DOCX text: header paragraphs, then body paragraphs and tables in document order."""
    check_docx_archive(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        check_docx_size(document)
        styles = _style_names(document)
        lines: list[str] = []
        for section in document.sections[:1]:
            lines.extend(_paragraph_text(p, styles) for p in section.header.paragraphs)
        lines.extend(_block_lines(document, styles))
    except ResumeError:
        raise
    except Exception as exc:
        # python-docx raises KeyError/ValueError/lxml errors on a broken package.
        raise ResumeCorruptError() from exc
    return normalise_text("\n".join(lines))


# ---------------------------------------------------------------- text and Markdown

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((\S+?)\)")
# Underscore emphasis must not touch word characters, or "ana_lima_dev@x.io" loses its "_".
_MD_EMPHASIS = re.compile(r"(\*\*|\*|`|(?<!\w)__|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def markdown_to_text(text: str) -> str:
    """Drop Markdown syntax but keep link targets (they carry GitHub/LinkedIn URLs)."""
    out: list[str] = []
    for line in text.split("\n"):
        if re.fullmatch(r"\s*(=+|-{3,}|\*{3,}|_{3,})\s*", line):
            continue  # setext underline or horizontal rule
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = _MD_LINK.sub(
            lambda m: (
                m.group(2) if m.group(1) in ("", m.group(2)) else f"{m.group(1)} {m.group(2)}"
            ),
            line,
        )
        line = _MD_EMPHASIS.sub(r"\2", line)
        out.append(line)
    return "\n".join(out)


def extract_text(data: bytes, kind: FileType) -> str:
    """The résumé's plain text in reading order, for any supported type."""
    if kind == "pdf":
        return extract_pdf(data)
    if kind == "docx":
        return extract_docx(data)
    text = decode_text(data)[:MAX_TEXT_CHARS]
    if kind == "md":
        text = markdown_to_text(text)
    return normalise_text(text)
