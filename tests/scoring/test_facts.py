"""Known answers for what one sentence commits to: events, figures, names, or generalities."""

from __future__ import annotations

import pytest

from hiresight.scoring import facts


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("ran", "run"), ("built", "build"), ("measured", "measure"), ("cut", "cut")],
)
def test_simple_past_forms_give_their_lemma(word: str, lemma: str) -> None:
    """Irregular, regular and base-form pasts are recognised."""
    assert facts.past_lemma(word) == lemma


@pytest.mark.parametrize("word", ["run", "would", "could", "data", "the"])
def test_non_past_words_and_modals_are_not_past(word: str) -> None:
    """A present form, a modal ("would" is not the past of "will" here) or a noun is not past."""
    assert facts.past_lemma(word) is None


def test_own_action_skips_auxiliaries_and_adverbs() -> None:
    """ "I had already started" is the speaker's action; "I would listen" and "I felt" are not."""
    assert facts.own_action("I had already started on it when the call came.") == "start"
    assert facts.own_action("We then paused the rollout.") == "pause"
    assert facts.own_action("In any situation I would listen first.") is None
    assert facts.own_action("I felt it was unfair.") is None
    assert facts.own_action("I worked on various projects.") is None  # a light verb


def test_participles_after_be_are_not_events() -> None:
    """ "is randomised" and "the most misunderstood" describe; "were rejected" happened."""
    assert not facts.facts("The wait is randomised for each client.").past
    assert not facts.facts("Retries are the most misunderstood pattern.").past
    assert facts.facts("The invoices were rejected by the provider.").past


def test_a_specific_sentence_commits_more_than_a_habit() -> None:
    """Figures, names and an action outweigh a belief that uses the same topic words."""
    specific = facts.facts("I ran a two-day spike on Kafka and cut the lag from 40 s to 3 s.")
    habit = facts.facts("I always believe communication is key for the team.")
    evasive = facts.facts("I don't really have disagreements with anyone.")
    assert specific.concreteness > 0.8
    assert habit.generic
    assert habit.concreteness < 0.1
    assert evasive.evasive
    assert evasive.concreteness < 0.1


def test_words_of_the_question_earn_nothing() -> None:
    """A figure or a name already in the question is not new detail."""
    exclude = facts.vocabulary("How did you cut p95 latency from 800 ms with Redis?")
    said = facts.facts("We used Redis to cut it from 800 ms.", exclude=exclude)
    assert said.numbers == 0
    assert said.named == 0


def test_buzzwords_are_generic_and_not_rare() -> None:
    """ "Drove alignment with stakeholders" sounds specific but names nothing."""
    buzz = facts.facts("I empowered stakeholders and drove alignment on KPIs.")
    assert buzz.generic
    assert buzz.own_action is None  # "empower" is a buzzword verb
    assert facts.rare_share("stakeholders alignment synergy") == 0.0
