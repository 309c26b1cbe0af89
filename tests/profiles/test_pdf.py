"""PDF limits: pages, objects per page, lines per page and characters; each refused quickly.

The files are the shapes that froze the server: thousands of scattered glyphs on one page and
hundreds of pages. Each is refused as `resume_too_complex` within a second or two instead of
minutes of layout analysis, and an ordinary PDF still reads.
"""

from __future__ import annotations

import time

import pytest

from hiresight.profiles import pdf
from hiresight.profiles.errors import ResumeTooComplexError
from hiresight.profiles.extract import extract_pdf
from tests.profiles.factories import (
    dense_pages_pdf,
    many_pages_pdf,
    pdf_bytes,
    scattered_glyphs_pdf,
)


def _refusal(data: bytes) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(ResumeTooComplexError) as info:
        extract_pdf(data)
    return info.value.message, time.perf_counter() - started


def test_twenty_thousand_scattered_glyphs_are_refused_in_seconds() -> None:
    """The probe's PDF (20,000 glyphs on one page) stops at the per-page object limit."""
    message, seconds = _refusal(scattered_glyphs_pdf(20_000))
    assert "objects on a page" in message
    assert seconds < 10


def test_scattered_glyphs_under_the_object_limit_stop_at_the_line_limit() -> None:
    """2,000 scattered glyphs make 2,000 one-glyph lines, past `MAX_PDF_LINES_PER_PAGE`."""
    message, seconds = _refusal(scattered_glyphs_pdf(2_000))
    assert "lines on a page" in message
    assert seconds < 10


def test_page_count_is_checked_before_any_page_is_read() -> None:
    """A 200-page PDF is refused from pypdf's page count, in well under a second."""
    message, seconds = _refusal(many_pages_pdf(200))
    assert "200 pages" in message
    assert seconds < 1


def test_a_pdf_at_the_page_limit_is_read() -> None:
    """Exactly `MAX_PDF_PAGES` pages is allowed."""
    text = extract_pdf(many_pages_pdf(pdf.MAX_PDF_PAGES))
    assert f"page {pdf.MAX_PDF_PAGES}" in text


def test_characters_over_the_whole_document_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense pages each under the page limits stop at `MAX_PDF_CHARS` for the document."""
    monkeypatch.setattr(pdf, "MAX_PDF_CHARS", 20_000)
    message, _ = _refusal(dense_pages_pdf(pages=3))
    assert "characters" in message


def test_an_ordinary_pdf_still_reads() -> None:
    """Limits leave a normal one-page résumé alone."""
    text = extract_pdf(pdf_bytes(["Experience", "Backend Engineer, Acme, 2019 – 2023"]))
    assert "Backend Engineer, Acme" in text
