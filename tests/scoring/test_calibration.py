"""The calibration set: size, coverage of kinds, band agreement, ordering and junk answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.scoring import calibration
from hiresight.scoring.errors import CalibrationDataError
from hiresight.scoring.providers import RubricProvider
from hiresight.scoring.types import AnswerKind

# Scoring all 60 answers takes ~20 s on a shared 2-core machine (embeddings plus grammar checks).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> calibration.Report:
    """The rubric provider scored against the shipped calibration set (once per module)."""
    provider = RubricProvider()
    return calibration.evaluate(
        calibration.load_cases(), lambda q, a, r: provider.score_answer(q.kind, q, a, r)
    )


def test_set_has_sixty_answers_over_every_kind() -> None:
    """At least 60 answers, every stage kind, each case with every level group."""
    cases = calibration.load_cases()
    assert sum(len(c.answers) for c in cases) >= 60
    assert {c.kind for c in cases} == set(AnswerKind)
    for case in cases:
        levels = {a.level for a in case.answers}
        assert {"strong", "average", "weak", "off_topic"} <= levels
        assert levels & {"empty", "nonsense"}


def test_at_least_85_percent_in_band(report: calibration.Report) -> None:
    """At least 85 % of calibration answers land in their expected band."""
    misses = [f"{r.case_id}/{r.level}={r.value:.1f}" for r in report.rows if not r.in_band]
    assert report.agreement >= 0.85, misses


def test_levels_are_ordered_in_every_case(report: calibration.Report) -> None:
    """In every case strong > average > weak > off-topic."""
    assert report.ordering_violations == []


def test_empty_and_nonsense_score_below_ten(report: calibration.Report) -> None:
    """Empty and nonsense answers always score under 10."""
    assert report.low_junk_violations == []


def test_markdown_table_lists_every_answer(report: calibration.Report) -> None:
    """The agreement table has one row per answer and the summary line."""
    table = calibration.markdown_table(report)
    assert table.count("\n| ") == len(report.rows)
    assert "Agreement:" in table


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    """A folder with no calibration files raises CalibrationDataError."""
    with pytest.raises(CalibrationDataError) as err:
        calibration.load_cases(tmp_path)
    assert err.value.code == "scoring_calibration_data"


def test_malformed_file_names_the_file(tmp_path: Path) -> None:
    """A case with an unknown level is rejected naming the file."""
    (tmp_path / "bad.toml").write_text(
        '[[case]]\nid="x"\nkind="resume"\nquestion="q"\n'
        '[[case.answers]]\nlevel="brilliant"\nband=[0, 10]\ntext="t"\n'
    )
    with pytest.raises(CalibrationDataError, match=r"bad\.toml"):
        calibration.load_cases(tmp_path)
