"""The fit score's criteria and the match score shown with each job, on hand-built rows."""

from __future__ import annotations

import numpy as np

from hiresight.matching.features import FEATURE_INDEX, FEATURE_NAMES
from hiresight.matching.fit import fit_score, match_scores


def _row(*, coverage: float, gap: float = 0.0, place: float = 1.0, similarity: float) -> np.ndarray:
    row = np.zeros(len(FEATURE_NAMES), dtype=np.float32)
    row[FEATURE_INDEX["required_skill_coverage"]] = coverage
    row[FEATURE_INDEX["preferred_skill_coverage"]] = 1.0
    row[FEATURE_INDEX["seniority_gap"]] = gap
    row[FEATURE_INDEX["location_fit"]] = place
    row[FEATURE_INDEX["salary_fit"]] = np.nan  # unknown: left out
    row[FEATURE_INDEX["embedding_similarity"]] = similarity
    return row


def test_two_full_fits_show_100_whatever_their_text_similarity() -> None:
    """Similarity orders the two full fits but is not part of what the match score shows."""
    x = np.stack([_row(coverage=1.0, similarity=0.9), _row(coverage=1.0, similarity=0.3)])
    fit = fit_score(x)
    assert fit[0] > fit[1]  # the tie-breaker still ranks
    assert match_scores(x).tolist() == [100, 100]


def test_the_match_score_is_the_named_criteria_rounded_half_up() -> None:
    """Known answers: weights 0.45 skills, 0.25 level, 0.25 place, 0.03 preferred skills."""
    half = _row(coverage=0.5, similarity=0.0)  # 0.45 * 0.125 + 0.53 = 0.58625 of 0.98
    off_level = _row(coverage=1.0, gap=1.0, similarity=1.0)  # (0.98 - 0.125) / 0.98
    elsewhere = _row(coverage=1.0, place=0.0, similarity=1.0)  # 0.73 / 0.98
    got = match_scores(np.stack([half, off_level, elsewhere])).tolist()
    assert got == [60, 87, 74]
