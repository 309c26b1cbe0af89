"""The audit as a PDF (fpdf2, as the scorecard PDF): scope, definitions, then every table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hiresight.fairness.schemas import FairnessReport, RateTable
from hiresight.fairness.text import DEFINITIONS, LIMITS, TABLE_TITLES, period

if TYPE_CHECKING:
    from fpdf import FPDF

# DejaVu ships with Debian (fonts-dejavu-core); Helvetica covers Latin-1 only.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEADERS = ("Category", "Count", "Positive", "Rate", "Share", "Impact ratio")
WIDTHS = (78, 18, 20, 20, 20, 30)


def _pdf() -> tuple[FPDF, str]:
    # Imported here: fpdf and its fonts take a third of a second, on every start of the web app.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    if FONT.exists():
        pdf.add_font("DejaVu", "", str(FONT))
        return pdf, "DejaVu"
    return pdf, "Helvetica"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def render(report: FairnessReport) -> bytes:
    """A PDF of the report: what it covers, the definitions and limits, every table."""
    pdf, font = _pdf()
    pdf.add_page()

    def text(value: str) -> str:
        if font == "DejaVu":
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def line(value: str, size: int = 9, height: float = 5) -> None:
        pdf.set_font(font, "", size)
        pdf.multi_cell(0, height, text(value), new_x="LMARGIN", new_y="NEXT")

    def table(rate_table: RateTable) -> None:
        pdf.ln(2)
        line(TABLE_TITLES[(rate_table.measure, rate_table.dimension)], 11, 7)
        pdf.set_font(font, "", 8)
        for header, width in zip(HEADERS, WIDTHS, strict=True):
            pdf.cell(width, 5, header, border="B")
        pdf.ln()
        for row in rate_table.rows:
            ratio = _number(row.impact_ratio) + (" (reference)" if row.reference else "")
            cells = (
                row.label + (" *" if row.excludable else ""), str(row.count),
                str(row.positives), _number(row.rate), _number(row.share), ratio,
            )  # fmt: skip
            for cell, width in zip(cells, WIDTHS, strict=True):
                pdf.cell(width, 5, text(cell))
            pdf.ln()
        unknown = rate_table.unknown
        line(
            f"Unknown, not in the ratios: {unknown.not_provided} not provided, "
            f"{unknown.prefer_not_to_say} prefer not to say. * under 2% of the known data.",
            8,
        )

    scope = (
        f"Job {report.job_id}: {report.job_title}" if report.job_id else "All jobs"
    ) + f" · {report.organization_name}"
    line("Fairness audit (bias audit figures)", 16, 9)
    line(scope)
    line(f"Period: {period(report.date_from, report.date_to)}")
    line(f"Generated: {report.generated_at:%Y-%m-%d %H:%M} UTC")
    median = f"{report.median_score:g}" if report.median_score is not None else "–"
    line(
        f"Applications {report.applications} · completed screening {report.completed} · "
        f"advanced {report.advanced} · scored {report.scored} · median score {median} · "
        f"recommendation impressions {report.impressions}"
    )
    pdf.ln(2)
    for definition in (*DEFINITIONS, *LIMITS):
        line(f"• {definition}", 8, 4)
    for rate_table in (*report.selection, *report.scoring, *report.recommender):
        table(rate_table)
    return bytes(pdf.output())
