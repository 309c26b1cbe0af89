"""Tests for code review: flag matching and patch design (codereview.py), and the explanation
scoring they combine with (explanation.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hiresight.scoring import codereview, explanation, text
from hiresight.scoring.codereview import BugSpec, CandidateFlag, PatchResult
from hiresight.scoring.explanation import BugReference
from hiresight.scoring.types import Answer, AnswerKind, Question

BUGS = [
    BugSpec(
        id="sqli",
        file="app/db.py",
        start_line=10,
        end_line=12,
        bug_class="sql-injection",
        severity="critical",
    ),
    BugSpec(
        id="n1",
        file="app/views.py",
        start_line=40,
        end_line=45,
        bug_class="n+1 query",
        severity="medium",
    ),
]


def test_flags_known_answer_precision_recall_credit() -> None:
    """One right flag with the right class, one wrong file: P=0.5, R=0.5, credit 4/6."""
    flags = [
        CandidateFlag(file="app/db.py", start_line=11, end_line=11, bug_class="SQL injection"),
        CandidateFlag(file="app/other.py", start_line=40, end_line=45, bug_class="n+1 query"),
    ]
    result = codereview.match_flags(flags, BUGS)
    assert result.precision == 0.5
    assert result.recall == 0.5
    assert result.weighted_credit == pytest.approx(4 / 6)
    assert result.matched[0].bug_id == "sqli"
    assert result.matched[0].class_match
    assert result.missed_bugs == ["n1"]
    assert result.false_flags == [1]
    assert result.value == pytest.approx(100 * (0.8 * 4 / 6 + 0.2 * 0.5))


def test_wrong_class_earns_less_than_right_class() -> None:
    """Finding the lines with the wrong class earns 75 % of that bug's credit."""
    right = codereview.match_flags(
        [CandidateFlag(file="app/views.py", start_line=44, end_line=50, bug_class="N+1 query")],
        BUGS,
    )
    wrong = codereview.match_flags(
        [CandidateFlag(file="app/views.py", start_line=44, end_line=50, bug_class="race")], BUGS
    )
    assert right.weighted_credit == pytest.approx(2 / 6)
    assert wrong.weighted_credit == pytest.approx(0.75 * 2 / 6)


def test_matching_is_one_to_one() -> None:
    """Two flags on the same bug match it once; the second is a false flag."""
    flags = [CandidateFlag(file="app/db.py", start_line=10, end_line=10)] * 2
    result = codereview.match_flags(flags, BUGS)
    assert len(result.matched) == 1
    assert result.precision == 0.5


def test_no_flags_scores_zero() -> None:
    """No flags: nothing found."""
    result = codereview.match_flags([], BUGS)
    assert result.value == 0
    assert result.recall == 0


def test_patch_score_known_answer() -> None:
    """Fixing the critical bug only, one regression, 3x the reference diff."""
    patch = PatchResult.model_validate(
        {
            "bugs": [{"id": "sqli", "fixed": True}, {"id": "n1", "fixed": False}],
            "regressions": ["test_list_orders"],
            "minimality_ratio": 3.0,
        }
    )
    got = codereview.patch_score(patch, BUGS)
    minimality = 1 - 0.3 * (3.0 - 1.5) / 3.5
    assert got["value"] == pytest.approx(100 * (4 / 6) * 0.75 * minimality)


def test_patch_result_from_grade_report_object() -> None:
    """A GradeReport-like object (attributes, extra fields) converts to PatchResult."""
    report = SimpleNamespace(
        bugs=[SimpleNamespace(id="sqli", fixed=True)], regressions=[], score=80.0
    )
    patch = PatchResult.from_grade_report(report, minimality_ratio=1.0)
    assert patch.bugs[0].fixed
    assert patch.minimality_ratio == 1.0


REFS = [
    BugReference(
        id="blocking",
        problem="The async handler calls blocking requests.get, which blocks the event loop.",
        fix="Use httpx.AsyncClient and await the call.",
        impact="Under load every request stalls and latency spikes for all users.",
    )
]
QUESTION = Question(text="Explain the bug you found and your fix.", kind=AnswerKind.CODE_REVIEW)
IDEAL = (
    "The handler is async but calls requests.get, which blocks the event loop. "
    "The fix is to await httpx.AsyncClient.get instead. "
    "Under load this stalls every request, so latency spikes for all users."
)


def test_explanation_parts_detected() -> None:
    """The seed's ideal explanation has Problem, Solution and Impact sentences."""
    assert explanation.explanation_parts(IDEAL) == {
        "problem": True,
        "solution": True,
        "impact": True,
    }


def test_mechanisms_named() -> None:
    """Named mechanisms are found as whole phrases, case-insensitively."""
    found = explanation.mechanisms("Use a parameterised query; the OFFSET scan and the event loop.")
    assert {"parameterised query", "offset", "event loop"} <= set(found)
    assert "lock" not in explanation.mechanisms("the blocking call")


def test_ideal_explanation_beats_vague() -> None:
    """The ideal explanation scores high; a vague one scores far lower."""
    rubric = explanation.explanation_rubric(REFS)
    good = explanation.score_explanation(QUESTION, Answer(text=IDEAL), rubric)
    vague = explanation.score_explanation(
        QUESTION, Answer(text="The code was bad so I changed it."), rubric
    )
    assert good.value >= 70
    assert vague.value < 30
    assert good.rubric_version == "code-review-explanation-rubric.v1"


def test_stage_score_combines_parts_with_weights() -> None:
    """Stage = 0.40 identification + 0.35 patch + 0.25 explanation; missed bugs are noted."""
    flags = codereview.match_flags(
        [CandidateFlag(file="app/db.py", start_line=10, end_line=12, bug_class="sql-injection")],
        BUGS,
    )
    patch = codereview.patch_score(
        PatchResult.model_validate({"bugs": [{"id": "sqli", "fixed": True}]}), BUGS
    )
    explained = explanation.score_explanation(
        QUESTION, Answer(text=IDEAL), explanation.explanation_rubric(REFS)
    )
    stage = codereview.score_stage(flags, patch, explained)
    expected = 0.40 * flags.value + 0.35 * patch["value"] + 0.25 * explained.value
    assert stage.value == pytest.approx(expected, abs=0.01)
    assert "bugs not flagged: n1" in stage.notes
    assert stage.rubric_version.endswith("+code-review-flags.v1")


def test_whole_file_flag_matches_nothing() -> None:
    """A flag spanning far more than the bug (lines 1-500) does not count as finding it."""
    result = codereview.match_flags(
        [CandidateFlag(file="app/db.py", start_line=1, end_line=500, bug_class="sql-injection")],
        BUGS,
    )
    assert result.matched == []


def test_reversed_line_range_rejected() -> None:
    """A flag whose end line precedes its start line is invalid input."""
    with pytest.raises(ValueError, match="before start_line"):
        CandidateFlag(file="a.py", start_line=9, end_line=3)


def test_patch_result_from_real_grade_report() -> None:
    """The grading package's GradeReport converts, taking minimality from its breakdown."""
    from hiresight.grading.report import BugResult, GradeReport, ScoreBreakdown

    report = GradeReport(
        challenge_id="pay-retry",
        status="ok",
        bugs=[BugResult(id="sqli", fixed=True, severity=3, bug_class="sql-injection")],
        regressions=["test_refund"],
        score=70.0,
        breakdown=ScoreBreakdown(
            bugs=60, minimality=10, regression_penalty=5, changed_lines=12,
            reference_changed_lines=4,
        ),
    )  # fmt: skip
    patch = PatchResult.from_grade_report(report)
    assert patch.bugs[0].fixed
    assert patch.regressions == ["test_refund"]
    assert patch.minimality_ratio == 3.0


def test_challenge_bank_bugs_convert_and_match() -> None:
    """Bugs from the shipped challenge bank convert; flags on their lines find them all."""
    from hiresight.challenges.loader import challenge_dirs, load_challenge

    challenge = load_challenge(challenge_dirs()[0])
    bugs = [BugSpec.from_challenge_bug(b) for b in challenge.manifest.bugs]
    flags = [
        CandidateFlag(file=b.file, start_line=b.start_line, end_line=b.end_line,
                      bug_class=b.bug_class)
        for b in bugs
    ]  # fmt: skip
    result = codereview.match_flags(flags, bugs)
    assert result.recall == 1.0
    assert result.weighted_credit == pytest.approx(1.0)


def test_explanation_quotes_the_closest_sentence_to_a_missed_point() -> None:
    """A missed impact point comes back with the explanation's nearest sentence as `closest`
    (above the similarity floor, quoted at its offsets); covered points have none."""
    answer = (
        "The handler is async but calls requests.get, which blocks the event loop. "
        "I changed the HTTP client to a different one."
    )
    rubric = explanation.explanation_rubric(REFS)
    score = explanation.score_explanation(QUESTION, Answer(text=answer), rubric)
    assert score.points_missed == [REFS[0].impact]
    (near,) = score.closest
    assert near.point == REFS[0].impact
    assert near.quote == "I changed the HTTP client to a different one."
    assert answer[near.start : near.end] == near.quote
    assert text.SIM_LOW < near.similarity < text.SIM_COVERED
    assert score.rubric_version == "code-review-explanation-rubric.v1"


def test_reference_explanation_scores_high_against_itself() -> None:
    """Reading a bank bug's own reference explanation back scores well (known answer)."""
    from hiresight.challenges.loader import challenge_dirs, load_challenge

    bug = load_challenge(challenge_dirs()[0]).manifest.bugs[0]
    ref = BugReference.from_challenge_bug(bug)
    answer = Answer(text=f"{ref.problem} {ref.fix} {ref.impact}")
    score = explanation.score_explanation(QUESTION, answer, explanation.explanation_rubric([ref]))
    assert score.value >= 60
    assert score.points_missed == []


def test_flag_evidence_known_answer() -> None:
    """One flag on the SQL injection with the right class is evidence at full similarity; the
    N+1 bug is missed; a flag in another file is noted as matching nothing."""
    flags = [
        CandidateFlag(file="app/db.py", start_line=11, end_line=12, bug_class="sql-injection"),
        CandidateFlag(file="app/other.py", start_line=1, end_line=2, bug_class="n+1 query"),
    ]
    result = codereview.match_flags(flags, BUGS)
    evidence, missed, notes = codereview.flag_evidence(flags, BUGS, result)
    assert [(e.point, e.quote, e.start, e.end, e.similarity) for e in evidence] == [
        ("sqli (sql-injection)", "app/db.py:11-12", 0, 0, 1.0)
    ]
    assert missed == ["bug not flagged: n1 (n+1 query)"]
    assert notes == ["flag matching no bug: app/other.py:1-2"]


def test_patch_evidence_lists_passed_and_failed_tests() -> None:
    """Every hidden test of the grade report is evidence; the ones that failed are missed."""
    from hiresight.grading.report import BugResult, GradedTest, GradeReport

    report = GradeReport(
        challenge_id="pay-retry", status="ok", score=40.0,
        bugs=[BugResult(id="sqli", fixed=True, severity=3, bug_class="sql-injection"),
              BugResult(id="n1", fixed=False, severity=2, bug_class="n+1 query")],
        tests=[GradedTest(id="db::quotes input", passed=True, status="passed", bug="sqli"),
               GradedTest(id="views::one query", passed=False, status="timeout", bug="n1"),
               GradedTest(id="views::lists", passed=True, status="passed", bug=None)],
    )  # fmt: skip
    evidence, missed = codereview.patch_evidence(PatchResult.from_grade_report(report))
    assert [(e.point, e.quote, e.similarity) for e in evidence] == [
        ("fixes sqli", "test db::quotes input: passed", 1.0),
        ("fixes n1", "test views::one query: timeout", 0.0),
        ("no regression", "test views::lists: passed", 1.0),
    ]
    assert missed == ["fixes n1: test views::one query timeout"]
