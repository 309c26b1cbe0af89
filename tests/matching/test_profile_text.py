"""The candidate's profile text: its order, and a 128-token clip that ranks jobs as well as the
whole text (the profile-set evaluation in `profile_text_eval.py`)."""

from __future__ import annotations

import pytest

from hiresight.embeddings import OnnxMiniLMEmbedder
from hiresight.matching.service import PROFILE_TOKENS, profile_text
from tests.matching.profile_text_eval import (
    VariantResult,
    catalogue,
    evaluate,
    previous_text,
    served_text,
)


@pytest.fixture(scope="module")
def results() -> dict[str, VariantResult]:
    """The served int8 model scoring each variant over the 34 résumés and 110 postings."""
    embedder = OnnxMiniLMEmbedder(precision="int8")
    variants = {
        "previous": previous_text,
        "whole": served_text(None),
        "clipped": served_text(PROFILE_TOKENS),
        "64 tokens": served_text(64),
    }
    return evaluate(embedder, variants, count_tokens=embedder.count_tokens)


def test_profile_text_puts_the_summary_last() -> None:
    """Known answer: headline, skills, the three best claims, then the summary a clip may cut."""
    text = profile_text(
        "Senior Backend Engineer at Parcelio",
        "Builds APIs for logistics companies.",
        ["FastAPI", "PostgreSQL"],
        ["Cut p99 from 420 to 180 ms.", "Led the Flask migration.", "Built a dispatcher.", "x"],
    )
    assert text == (
        "Senior Backend Engineer at Parcelio. Skills: FastAPI, PostgreSQL. Cut p99 from 420 to "
        "180 ms. Led the Flask migration. Built a dispatcher. Builds APIs for logistics companies."
    )


def test_the_catalogue_is_seeded_and_labelled_from_skills() -> None:
    """Same seed, same postings; every posting's required skills resolve in the taxonomy."""
    jobs = catalogue()
    assert [j.text for j in jobs] == [j.text for j in catalogue()]
    assert len(jobs) == 110
    assert all(len(j.required) >= 3 for j in jobs)


def test_the_clip_bounds_every_profile_and_cuts_some(results: dict[str, VariantResult]) -> None:
    """The set has profiles longer than the budget, so the clip is exercised, and bounded."""
    assert results["whole"].tokens_max > PROFILE_TOKENS
    assert results["clipped"].tokens_max <= PROFILE_TOKENS


def test_the_clipped_text_ranks_jobs_as_well_as_the_whole_one(
    results: dict[str, VariantResult],
) -> None:
    """NDCG@10 against skill-coverage grades: the clip costs at most 0.01 against the whole
    text in today's order and against the format served before it."""
    clipped = results["clipped"].ndcg
    assert clipped >= results["whole"].ndcg - 0.01
    assert clipped >= results["previous"].ndcg - 0.01
    assert results["clipped"].overlap >= 0.8  # top 10 mostly shared with the previous format


def test_the_evaluation_sees_a_clip_that_is_too_short(results: dict[str, VariantResult]) -> None:
    """64 tokens drops most claims: the evaluation must notice, or it could not judge 128."""
    assert results["64 tokens"].ndcg < results["clipped"].ndcg - 0.02
