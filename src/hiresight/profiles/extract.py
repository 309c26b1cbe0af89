"""Plain text out of PDF, DOCX, TXT and Markdown résumés, in reading order."""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hiresight.profiles.errors import (
    ResumeArchiveTooLargeError,
    ResumeCorruptError,
    ResumeEncryptedError,
    ResumeNoTextError,
)
from hiresight.profiles.filetypes import FileType, decode_text

# A real résumé DOCX expands to well under a few MB; images are what make it big.
MAX_DOCX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_DOCX_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 150
MAX_PDF_PAGES = 30
# A long résumé is ~30k characters; anything past this is not read, which also bounds the
# cost of every regex downstream on hostile input.
MAX_TEXT_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class _Line:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str


def normalise_text(text: str) -> str:
    """NFKC (ligatures, non-breaking spaces), unify newlines, drop trailing spaces; cap length."""
    text = text[:MAX_TEXT_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200b", "").replace("\t", "  ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


# ---------------------------------------------------------------- PDF


def _page_lines(page: Any) -> list[_Line]:
    """Every horizontal text line on a pdfminer page, with its box."""
    from pdfminer.layout import LTTextContainer, LTTextLine

    lines: list[_Line] = []

    def visit(element: Any) -> None:
        """Collect lines from nested containers (boxes hold lines, figures hold boxes)."""
        if isinstance(element, LTTextLine):
            text = element.get_text().strip()
            if text:
                lines.append(_Line(element.x0, element.x1, element.y0, element.y1, text))
        elif isinstance(element, LTTextContainer):
            for child in element:
                visit(child)

    for element in page:
        visit(element)
    return lines


def _looks_like_row_tails(left: list[_Line], right: list[_Line], width: float) -> bool:
    """Right-aligned dates beside titles: short right pieces sharing baselines with left lines."""
    if statistics.median(ln.x1 - ln.x0 for ln in right) >= 0.18 * width:
        return False
    shared = sum(1 for r in right if any(abs(r.y1 - ln.y1) <= 2 for ln in left))
    dated = sum(1 for r in right if re.search(r"\b(?:19|20)\d\d\b|present|now", r.text, re.I))
    return shared >= 0.5 * len(right) and dated >= 0.6 * len(right)


def _find_column_split(lines: list[_Line], width: float) -> float | None:
    """The x where the page splits into two text columns, or None for one column.

    A split is valid when the right side is a column (not dates aligned beside titles) and the only
    lines crossing it sit above the columns (a full-width header) or below them (a footer).
    """
    candidates = sorted({round(line.x0) for line in lines if 0.2 * width < line.x0 < 0.8 * width})
    for split in candidates:
        left = [ln for ln in lines if ln.x1 <= split + 1]
        right = [ln for ln in lines if ln.x0 >= split - 1]
        if len(left) < 3 or len(right) < 3:
            continue
        if _looks_like_row_tails(left, right, width):
            continue
        top = max(ln.y1 for ln in left + right)
        bottom = min(ln.y0 for ln in left + right)
        crossing = [ln for ln in lines if ln.x0 < split - 1 < split + 1 < ln.x1]
        if all(ln.y0 >= top - 2 or ln.y1 <= bottom + 2 for ln in crossing):
            return float(split)
    return None


def _join_rows(lines: list[_Line]) -> list[str]:
    """Lines top to bottom; pieces on one baseline (a title and its right-aligned dates) join."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        if rows and abs(rows[-1][0].y1 - line.y1) <= 2.0:
            rows[-1].append(line)
        else:
            rows.append([line])
    return ["   ".join(ln.text for ln in sorted(row, key=lambda ln: ln.x0)) for row in rows]


def _order_page(lines: list[_Line], width: float) -> list[str]:
    """Reading order: header, then the left column fully, then the right, then any footer."""
    split = _find_column_split(lines, width)
    if split is None:
        return _join_rows(lines)
    left = [ln for ln in lines if ln.x1 <= split + 1]
    right = [ln for ln in lines if ln.x0 >= split - 1]
    top = max(ln.y1 for ln in left + right)
    others = [ln for ln in lines if ln not in left and ln not in right]
    header = [ln for ln in others if ln.y0 >= top - 2]
    footer = [ln for ln in others if ln not in header]
    return _join_rows(header) + _join_rows(left) + _join_rows(right) + _join_rows(footer)


def extract_pdf(data: bytes) -> str:
    """Layout-aware PDF text with two-column pages read column by column."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[tuple[list[_Line], float]] = []
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            if number >= MAX_PDF_PAGES:
                break
            pages.append((_page_lines(page), float(page.width)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ResumeEncryptedError() from exc
    except Exception as exc:
        # pdfminer raises many unrelated types on malformed input (PSEOF, KeyError, TypeError...);
        # whatever it is, the candidate's file is damaged, not our code.
        raise ResumeCorruptError() from exc
    out = [line for lines, width in pages for line in _order_page(lines, width)]
    text = normalise_text("\n".join(out))
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


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text, with hyperlink targets appended when the text hides them.

    List paragraphs get a "• " marker back: Word stores bullets as numbering, not text, and
    the experience parser uses markers to tell a role's bullets from its header lines.
    """
    text: str = paragraph.text
    style = paragraph.style.name if paragraph.style is not None else ""
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


def _block_lines(container: Any) -> Iterator[str]:
    """Paragraphs and tables in document order; a table row of short cells becomes one line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield from _text_box_lines(block)
            yield _paragraph_text(block)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(row.cells))  # merged cells repeat
                texts = [cell.text.strip() for cell in cells]
                if all("\n" not in t for t in texts):
                    yield " | ".join(t for t in texts if t)
                else:
                    # A layout table (sidebar + main): read each cell fully, left to right.
                    for cell in cells:
                        yield from _block_lines(cell)


def extract_docx(data: bytes) -> str:
    """DOCX text: header paragraphs, then body paragraphs and tables in document order."""
    check_docx_archive(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for section in document.sections[:1]:
            lines.extend(_paragraph_text(p) for p in section.header.paragraphs)
        lines.extend(_block_lines(document))
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
