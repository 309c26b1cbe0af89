"""One rounding for a stage score on every page: half up, as the interview room rounds it."""

from __future__ import annotations

import pytest

from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState
from hiresight.review.candidate import CandidateStage
from hiresight.review.scorecard import StageResult, shown_score


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(98.5, 99), (99.5, 100), (0.5, 1), (99.49, 99), (100.0, 100), (0.0, 0), (None, None)],
)
def test_half_up_like_the_room(stored: float | None, shown: int | None) -> None:
    """JavaScript's Math.round(98.5) is 99; Python's round(98.5) is 98. Pages show 99."""
    assert shown_score(stored) == shown


def test_recruiter_and_candidate_stages_show_the_same_number() -> None:
    """The recruiter's stage and the candidate's stage show the stored score rounded alike."""
    stage = StageResult(
        stage=StageKind.code_review, attempt_id=1, attempt_no=1, state=AttemptState.submitted,
        submitted_at=None, score=98.5, components={},
    )  # fmt: skip
    mine = CandidateStage(stage=StageKind.code_review, score=98.5, next_steps=[])
    assert stage.score_shown == mine.score_shown == 99
