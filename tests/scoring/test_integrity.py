"""Tests for integrity flags: focus, pastes, cadence, near-duplicates, and no score change."""

from __future__ import annotations

import pytest

from hiresight.scoring import integrity, scorers
from hiresight.scoring.integrity import AnswerSignals, FocusLoss, Paste
from hiresight.scoring.types import Answer, AnswerKind, Question


def _signals(**kw: object) -> AnswerSignals:
    base: dict[str, object] = {
        "candidate_id": "c1",
        "stage": "design",
        "answer_chars": 600,
        "active_seconds": 300,
    }
    base.update(kw)
    return AnswerSignals.model_validate(base)


def test_clean_answer_has_no_flags() -> None:
    """Ordinary behaviour raises nothing."""
    report = integrity.summarise(_signals(), stage_cadences=[2.0, 1.8, 2.2, 2.1, 1.9])
    assert report.flags == []


def test_focus_loss_by_count_and_duration() -> None:
    """Three focus losses, or a minute away, raise a focus_loss flag with the total."""
    by_count = integrity.summarise(_signals(focus_losses=[FocusLoss(duration_s=2)] * 3))
    by_time = integrity.summarise(_signals(focus_losses=[FocusLoss(duration_s=75)]))
    assert [f.code for f in by_count.flags] == ["focus_loss"]
    assert by_time.flags[0].value == 75


def test_large_paste_flagged() -> None:
    """A paste at or above the threshold is flagged; a small one is not."""
    assert integrity.summarise(_signals(pastes=[Paste(chars=50)])).flags == []
    flagged = integrity.summarise(_signals(pastes=[Paste(chars=50), Paste(chars=900)]))
    assert flagged.flags[0].code == "large_paste"
    assert flagged.flags[0].value == 900


def test_robust_z_known_answer() -> None:
    """Median 2, MAD 0.1: a value of 3 has modified z = 0.6745 * 1 / 0.1 = 6.745."""
    assert integrity.robust_z(3.0, [1.9, 2.0, 2.1, 2.0, 1.9, 2.1]) == pytest.approx(6.745)


def test_typing_cadence_outlier_flagged() -> None:
    """Typing 20 chars/s against peers at ~2 chars/s is flagged."""
    fast = _signals(answer_chars=6000, active_seconds=300)
    report = integrity.summarise(fast, stage_cadences=[1.9, 2.0, 2.1, 2.0, 1.8, 2.2])
    assert [f.code for f in report.flags] == ["typing_cadence"]


def test_near_duplicates_across_candidates() -> None:
    """Two near-identical answers pair up; a different answer does not."""
    answers = {
        "a": "I would shard the orders table by customer id and put Redis in front of it.",
        "b": "I would shard the orders table by customer id and put Redis in front of it!",
        "c": "A queue decouples the writers from the slow email provider.",
    }
    pairs = integrity.near_duplicates(answers)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]
    flag = integrity.duplicate_flag("b", pairs, visible={"a"})
    assert flag is not None
    assert "candidate a" in flag.message
    assert integrity.duplicate_flag("c", pairs) is None


def test_duplicate_flag_names_only_visible_candidates() -> None:
    """A match with someone the reader may not look up is described without naming them."""
    pairs = [("a", "b", 0.99)]
    flag = integrity.duplicate_flag("b", pairs)
    assert flag is not None
    assert "candidate a" not in flag.message
    assert "another candidate" in flag.message


def test_flags_never_change_a_score() -> None:
    """Reviewing a score with every flag raised returns the identical score."""
    question = Question(
        text="Design a rate limiter.",
        kind=AnswerKind.SYSTEM_DESIGN,
        reference_answer="Use Redis counters with a sliding window.",
    )
    score = scorers.score(question, Answer(text="Redis counters per key, sliding window."), [])
    noisy = _signals(
        answer_chars=9000,
        focus_losses=[FocusLoss(duration_s=120)] * 4,
        pastes=[Paste(chars=5000)],
    )
    report = integrity.summarise(noisy, stage_cadences=[2.0, 2.1, 1.9, 2.0])
    reviewed = integrity.review(score, report)
    assert len(reviewed.integrity.flags) == 3
    assert reviewed.score == score
