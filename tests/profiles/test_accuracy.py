"""Field-level accuracy on the 30-résumé set, rendered to TXT, Markdown, DOCX and PDF.

The parser sees only the rendered bytes; `expected` in each JSON file is never passed to it.
Targets: skills F1 >= 0.90; total experience within 6 months on >= 90% of résumés; email,
phone and links exact on >= 98%.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from hiresight.profiles.contacts import normalise_phone
from hiresight.profiles.parser import parse_resume
from tests.profiles.resume_render import FONT_DIR, RENDERERS, load_resumes

TODAY = dt.date(2026, 11, 1)  # the date the expected totals were computed for


def _score(documents: list[dict[str, Any]], fmt: str) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for doc in documents:
        parsed = parse_resume(RENDERERS[fmt](doc), f"{doc['id']}.{fmt}", today=TODAY)
        expected = doc["expected"]
        got, want = {s.name for s in parsed.skills}, set(expected["skills"])
        counts["tp"] += len(got & want)
        counts["fp"] += len(got - want)
        counts["fn"] += len(want - got)
        counts["months"] += abs(parsed.total_experience_months - expected["total_months"]) <= 6
        counts["email"] += parsed.contact.email == expected["email"]
        counts["phone"] += normalise_phone(parsed.contact.phone or "") == normalise_phone(
            expected["phone"]
        )
        counts["links"] += parsed.contact.links == expected["links"]
    n = len(documents)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return {
        "skills_precision": precision,
        "skills_recall": recall,
        "skills_f1": 2 * precision * recall / max(1e-9, precision + recall),
        "months_within_6": counts["months"] / n,
        "email_exact": counts["email"] / n,
        "phone_exact": counts["phone"] / n,
        "links_exact": counts["links"] / n,
    }


def test_accuracy_set_is_large_and_varied() -> None:
    """At least 30 résumés with one- and two-column layouts and the named non-English people."""
    documents = load_resumes()
    assert len(documents) >= 30
    assert {d["layout"]["pdf_columns"] for d in documents} == {1, 2}
    names = {d["person"]["name"] for d in documents}
    assert {"Zoë Çelik", "Nguyễn Văn An", "Søren Ødegård", "José Muñoz", "Aisha Al-Farsi"} <= names
    assert (FONT_DIR / "DejaVuSans.ttf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["txt", "md", "docx", "pdf"])
def test_field_accuracy(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Skills F1, experience totals and contact fields meet their targets for each format."""
    documents = load_resumes()
    figures = _score(documents, fmt)
    with capsys.disabled():  # the figures belong in every run's output, not only on failure
        summary = ", ".join(f"{k}={v:.3f}" for k, v in figures.items())
        print(f"\n[accuracy {fmt}, {len(documents)} résumés] {summary}")
    assert figures["skills_f1"] >= 0.90
    assert figures["months_within_6"] >= 0.90
    for field in ("email_exact", "phone_exact", "links_exact"):
        assert figures[field] >= 0.98, field
