"""The scorecard as a PDF (fpdf2), for recruiters to file or share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hiresight.review.scorecard import Scorecard

if TYPE_CHECKING:
    from fpdf import FPDF

# DejaVu ships with Debian (fonts-dejavu-core) and covers the names candidates actually have.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _pdf() -> tuple[FPDF, str]:
    # Imported here: fpdf and its fonts take a third of a second, on every start of the web app.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    if FONT.exists():
        pdf.add_font("DejaVu", "", str(FONT))
        return pdf, "DejaVu"
    return pdf, "Helvetica"


def _text(font: str, value: str) -> str:
    # The built-in Helvetica only has Latin-1; never fail an export over one character.
    return value if font == "DejaVu" else value.encode("latin-1", "replace").decode("latin-1")


def rubric_versions(card: Scorecard) -> list[str]:
    """Every rubric version behind the card's scores, once each, in stage order."""
    seen: dict[str, None] = {}
    for stage in card.stages:
        for comp in stage.components.values():
            seen.setdefault(comp.rubric_version)
    return list(seen)


def render(
    card: Scorecard, *, job_titles: Sequence[str] = (), generated: dt.datetime | None = None
) -> bytes:
    """A multi-page PDF: the jobs, date and rubric versions, then summary, stage scores with
    evidence, integrity flags and transcript."""
    pdf, font = _pdf()
    pdf.add_page()
    generated = generated or dt.datetime.now(dt.UTC)

    def line(value: str, size: int = 10, height: float = 5) -> None:
        pdf.set_font(font, "", size)
        pdf.multi_cell(0, height, _text(font, value), new_x="LMARGIN", new_y="NEXT")

    line(f"Scorecard: {card.candidate_name}", 16, 9)
    line(f"Job: {', '.join(job_titles) or '—'}")
    line(f"Date: {generated:%Y-%m-%d %H:%M} UTC")
    versions = ", ".join(rubric_versions(card)) or "none yet"
    line(f"Rubric versions: {versions} · scorecard {card.version}")
    overall = f"{card.overall:.0f}" if card.overall is not None else "not scored yet"
    line(
        f"Overall {overall} · CEFR {card.cefr or '—'} · "
        f"recommendation {card.recommendation or '—'} (advisory; a recruiter decides)"
    )
    for reason in card.reasons:
        line(f"• {reason}")
    for stage in card.stages:
        pdf.ln(3)
        score = str(stage.score_shown) if stage.score is not None else "pending"
        line(
            f"{stage.stage.value.replace('_', ' ').title()} — attempt {stage.attempt_no}: {score}",
            12,
            7,
        )
        for name, comp in stage.components.items():
            fallback = " (AI fell back to the rubric engine)" if comp.fallback else ""
            line(f"{name}: {comp.value:.0f} · {comp.rubric_version} · {comp.provider}{fallback}")
            for ev in comp.evidence[:4]:
                line(f"   “{ev.get('quote', '')}” → {ev.get('point', '')}", 9, 4.5)
            for missed in comp.points_missed[:4]:
                line(f"   missed: {missed}", 9, 4.5)
    if card.integrity:
        pdf.ln(3)
        line("Integrity signals (for human review; they never change a score)", 12, 7)
        for item in card.integrity:
            line(f"• {item.stage.value}: {item.message}")
    for stage in card.stages:
        if stage.transcript:
            pdf.ln(3)
            line(f"Transcript — {stage.stage.value.replace('_', ' ')}", 12, 7)
            for row in stage.transcript:
                line(f"Q: {row['question']}", 9, 4.5)
                line(f"A: {row['answer'] or '(no answer)'}", 9, 4.5)
    return bytes(pdf.output())
