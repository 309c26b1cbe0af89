"""PDF résumés: layout-aware lines in reading order, with limits on what a page may hold.

A crafted PDF of 26 KB with ~20,000 scattered glyphs kept pdfminer busy for minutes and grew
the process to gigabytes, almost all of it in pdfminer's hierarchical grouping of text boxes.
We order lines ourselves (`_order_page`), so that grouping is switched off (`boxes_flow=None`),
and every page is counted while it is interpreted, before any layout analysis runs.
"""

from __future__ import annotations

import bisect
import io
import re
import statistics
from dataclasses import dataclass
from typing import Any

from hiresight.profiles.errors import (
    ResumeCorruptError,
    ResumeEncryptedError,
    ResumeError,
    ResumeTooComplexError,
)

# A résumé is one to a few pages; a 30-page limit leaves room for a long academic CV.
MAX_PDF_PAGES = 30
# Glyphs, paths and images one page may draw. A dense page of 8-point text is ~6,000 glyphs.
MAX_PDF_OBJECTS_PER_PAGE = 10_000
# Glyphs over the whole document: 30 dense pages; a long résumé has ~30,000 characters.
MAX_PDF_CHARS = 150_000
# Text lines on one page after grouping; 6-point text in two columns is ~300.
MAX_PDF_LINES_PER_PAGE = 1_000


@dataclass(frozen=True, slots=True)
class _Line:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str


def _too_complex(what: str) -> ResumeTooComplexError:
    return ResumeTooComplexError(
        f"This PDF is too complex to read ({what}); export a simpler PDF, or upload DOCX or "
        "plain text."
    )


def count_pages(data: bytes) -> int | None:
    """The page count from pypdf's page tree, or None when pypdf cannot read the file.

    pypdf reads the tree without interpreting any page, so a 10,000-page file is refused in
    milliseconds; a file pypdf cannot read is left to pdfminer, which bounds pages itself.
    """
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return None


def _bounded_aggregator(resources: Any, laparams: Any) -> Any:
    """A pdfminer page aggregator that refuses a page past the object or character limits."""
    from pdfminer.converter import PDFPageAggregator

    class BoundedAggregator(PDFPageAggregator):
        page_objects = 0
        chars = 0

        def begin_page(self, *args: Any, **kwargs: Any) -> None:
            self.page_objects = 0
            super().begin_page(*args, **kwargs)

        def _count(self) -> None:
            self.page_objects += 1
            if self.page_objects > MAX_PDF_OBJECTS_PER_PAGE:
                raise _too_complex(f"more than {MAX_PDF_OBJECTS_PER_PAGE:,} objects on a page")

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self._count()
            self.chars += 1
            if self.chars > MAX_PDF_CHARS:
                raise _too_complex(f"more than {MAX_PDF_CHARS:,} characters")
            width: float = super().render_char(*args, **kwargs)
            return width

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            self._count()
            super().paint_path(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> None:
            self._count()
            super().render_image(*args, **kwargs)

    return BoundedAggregator(resources, laparams=laparams)


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
    if len(lines) > MAX_PDF_LINES_PER_PAGE:
        raise _too_complex(f"more than {MAX_PDF_LINES_PER_PAGE:,} lines on a page")
    return lines


def _looks_like_row_tails(left: list[_Line], right: list[_Line], width: float) -> bool:
    """Right-aligned dates beside titles: short right pieces sharing baselines with left lines."""
    if statistics.median(ln.x1 - ln.x0 for ln in right) >= 0.18 * width:
        return False
    baselines = sorted(ln.y1 for ln in left)

    def beside_a_left_line(y: float) -> bool:
        at = bisect.bisect_left(baselines, y - 2)
        return at < len(baselines) and baselines[at] <= y + 2

    shared = sum(1 for r in right if beside_a_left_line(r.y1))
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
    placed = {id(ln) for ln in left + right}
    others = [ln for ln in lines if id(ln) not in placed]
    header = [ln for ln in others if ln.y0 >= top - 2]
    footer = [ln for ln in others if ln.y0 < top - 2]
    return _join_rows(header) + _join_rows(left) + _join_rows(right) + _join_rows(footer)


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text lines in reading order, two-column pages read column by column.

    Raises `ResumeTooComplexError` past `MAX_PDF_PAGES`, `MAX_PDF_OBJECTS_PER_PAGE`,
    `MAX_PDF_CHARS` or `MAX_PDF_LINES_PER_PAGE`.
    """
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    pages = count_pages(data)
    if pages is not None and pages > MAX_PDF_PAGES:
        raise _too_complex(f"{pages} pages; the limit is {MAX_PDF_PAGES}")
    out: list[str] = []
    try:
        resources = PDFResourceManager(caching=True)
        device = _bounded_aggregator(resources, LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(resources, device)
        for page in PDFPage.get_pages(io.BytesIO(data), maxpages=MAX_PDF_PAGES):
            interpreter.process_page(page)
            layout = device.get_result()
            out += _order_page(_page_lines(layout), float(layout.width))
    except ResumeError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ResumeEncryptedError() from exc
    except (MemoryError, RecursionError) as exc:
        raise _too_complex("it needs more memory or nesting than a résumé") from exc
    except Exception as exc:
        # pdfminer raises many unrelated types on malformed input (PSEOF, KeyError, TypeError...);
        # whatever it is, the candidate's file is damaged, not our code.
        raise ResumeCorruptError() from exc
    return out
