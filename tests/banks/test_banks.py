"""The question banks: the packaged data, its schema, the loader and the render helpers."""

from __future__ import annotations

import re
import shutil
import statistics
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

from hiresight.banks import loader
from hiresight.banks.errors import BankDataError, PlaceholderError
from hiresight.banks.models import (
    CEFR_LEVELS,
    LEVEL_RANGES,
    EnglishItem,
    ResumeTemplate,
    SystemDesignPrompt,
    claim_value,
)

BRACES = re.compile(r"[{}]")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged data folder."""
    return Path(shutil.copytree(loader.DATA_DIR, tmp_path / "data"))


def test_every_bank_parses_and_is_cached() -> None:
    """All data files validate, and load_banks returns the same object on later calls."""
    banks = loader.load_banks()
    assert banks is loader.load_banks()
    assert re.fullmatch(r"[0-9a-f]{12}", banks.version)


def test_counts_meet_the_minimums() -> None:
    """The banks hold at least the agreed number of items of each kind."""
    banks = loader.load_banks()
    assert len(banks.english.items) >= 60
    assert len(banks.writing) >= 6
    assert len(banks.system_design) >= 12
    assert len(banks.behavioral) >= 12
    assert len(banks.resume) >= 10


def test_english_spread_over_levels_and_kinds() -> None:
    """At least 10 items per level A2..C1, some C2, and every kind well represented."""
    items = loader.english_items()
    levels = Counter(item.level for item in items)
    assert all(levels[level] >= 10 for level in ("A2", "B1", "B2", "C1"))
    assert levels["C2"] >= 5
    kinds = Counter(item.kind for item in items)
    assert set(kinds) == {"grammar", "vocabulary", "reading"}
    assert min(kinds.values()) >= 15


def test_ids_are_unique_in_every_bank() -> None:
    """No id is used twice within a bank (English items and passages share one namespace)."""
    banks = loader.load_banks()
    english_ids = [i.id for i in banks.english.items] + [p.id for p in banks.english.passages]
    for ids in (
        english_ids,
        [p.id for p in banks.writing],
        [p.id for p in banks.system_design],
        [p.id for p in banks.behavioral],
        [t.id for t in banks.resume],
    ):
        assert len(ids) == len(set(ids))


def test_multiple_choice_items_have_four_options_and_a_valid_answer() -> None:
    """Every item has exactly 4 distinct options and an answer index inside them."""
    for item in loader.english_items():
        assert len(item.options) == 4
        assert len({o.casefold() for o in item.options}) == 4
        assert 0 <= item.answer < 4
        assert item.correct_option == item.options[item.answer]


def test_answer_positions_are_not_guessable() -> None:
    """No option position holds the answer for more than 40% or fewer than 12% of items."""
    items = loader.english_items()
    positions = Counter(item.answer for item in items)
    for index in range(4):
        assert 0.12 <= positions[index] / len(items) <= 0.40


def test_mean_difficulty_rises_with_cefr_level() -> None:
    """Mean difficulty strictly increases A2 < B1 < B2 < C1 < C2."""
    items = loader.english_items()
    means = [statistics.mean(i.difficulty for i in items if i.level == lvl) for lvl in CEFR_LEVELS]
    assert means == sorted(means)
    assert len(set(means)) == len(means)


def test_every_difficulty_sits_inside_its_level_range() -> None:
    """An item's logit difficulty lies in the slice of the scale its CEFR level owns."""
    for item in loader.english_items():
        low, high = LEVEL_RANGES[item.level]
        assert low <= item.difficulty <= high, item.id


def test_reading_passages_are_shared_and_sized() -> None:
    """Each passage has 60-120 words, 2-3 items, and the genres are varied workplace texts."""
    banks = loader.load_banks()
    per_passage = Counter(i.passage for i in banks.english.items if i.kind == "reading")
    for passage in banks.english.passages:
        assert 60 <= len(passage.text.split()) <= 120
        assert 2 <= per_passage[passage.id] <= 3
    assert len({p.genre for p in banks.english.passages}) >= 4
    assert set(per_passage) == set(loader.passages())


def test_writing_prompts_expect_short_workplace_answers() -> None:
    """Writing prompts ask for 80-150 words and list what a good answer covers."""
    for prompt in loader.writing_prompts():
        assert 80 <= prompt.min_words < prompt.max_words <= 150
        assert len(prompt.covers) >= 3


def test_design_prompts_render_tied_and_standalone() -> None:
    """Tied prompts fill challenge title and endpoint; without them the standalone text is used."""
    for prompt in loader.system_design_prompts():
        tied = prompt.render(challenge_title="Orders API", endpoint="GET /orders")
        assert not BRACES.search(tied)
        assert "Orders API" in tied or "GET /orders" in tied
        assert prompt.render() == prompt.standalone
        assert 4 <= len(prompt.rubric) <= 7
        assert 5 <= len(prompt.reference_outline) <= 8
        assert len(prompt.trade_offs) >= 2
        assert 3 <= prompt.minutes <= 5


def test_design_prompts_rank_by_tag_overlap_with_challenge_stacks() -> None:
    """A job-queue challenge's stacks put the job-queue prompt first; overlaps never increase."""
    stacks = ["asyncio", "sqlite", "job-queue"]
    ranked = loader.system_design_prompts(tags=stacks)
    assert ranked[0].id == "sd-job-queue-fleet"
    wanted = loader.normalise_tags(stacks)
    overlaps = [len(wanted & set(p.tags)) for p in ranked]
    assert overlaps == sorted(overlaps, reverse=True)


def test_design_prompts_without_tags_keep_bank_order() -> None:
    """With no tags every overlap is zero, so the curated order is kept."""
    ranked = loader.system_design_prompts()
    assert [p.id for p in ranked] == [p.id for p in loader.load_banks().system_design]


def test_behavioral_prompts_render_with_a_claim() -> None:
    """A résumé line becomes a clause after 'you'; without a claim the generic variant is used."""
    prompts = loader.behavioral_prompts()
    assert len({p.competency for p in prompts}) >= 12
    for prompt in prompts:
        text = prompt.render("Led the migration to PostgreSQL.")
        assert "you led the migration to PostgreSQL" in text
        assert not BRACES.search(text)
        assert prompt.render() == prompt.generic
        assert all((prompt.star.situation, prompt.star.task, prompt.star.action))


def test_behavioral_prompts_filter_by_competency() -> None:
    """Asking for one competency returns only prompts for it."""
    found = loader.behavioral_prompts("incident response")
    assert [p.id for p in found] == ["bh-incident-response"]


def test_claim_value_keeps_acronyms_and_quoted_claims() -> None:
    """Only a sentence capital after 'you' is lowered; acronyms and quoted claims keep case."""
    assert claim_value("you {claim}", "Cut p95 by 40%.") == "cut p95 by 40%"
    assert claim_value("you {claim}", "API redesign for billing") == "API redesign for billing"
    assert claim_value('"{claim}"', "Worked on APIs.") == "Worked on APIs"


def test_resume_templates_exist_for_every_claim_kind() -> None:
    """Each claim kind has at least two templates, each with at most two follow-ups."""
    for kind in ("metric", "ownership", "technology", "vague"):
        templates = loader.resume_templates(kind)
        assert len(templates) >= 2, kind
        assert all(len(t.follow_ups) <= 2 for t in templates)


def test_resume_templates_render_all_placeholders() -> None:
    """Given claim, skill and project every prompt and follow-up renders without braces."""
    values = {"claim": "Cut API latency by 40%", "skill": "Redis", "project": "Checkout"}
    for template in loader.load_banks().resume:
        assert not BRACES.search(template.render(**values))
        assert not any(BRACES.search(f) for f in template.render_follow_ups(**values))


def test_resume_templates_filter_by_available_values() -> None:
    """With only a claim known, templates that need a skill or a project are left out."""
    only_claim = loader.resume_templates("technology", available={"claim"})
    assert all(t.fields <= {"claim"} for t in only_claim)
    everything = loader.resume_templates("technology", available={"claim", "skill", "project"})
    assert len(everything) == len(loader.resume_templates("technology")) > len(only_claim)


def test_rendering_without_a_needed_value_is_a_clear_error() -> None:
    """A missing placeholder value raises PlaceholderError with a stable code."""
    template = next(t for t in loader.load_banks().resume if "skill" in t.fields)
    with pytest.raises(PlaceholderError) as excinfo:
        template.render(claim="Built things")
    assert excinfo.value.code == "question_placeholder_missing"
    assert "skill" in str(excinfo.value)


def test_resume_kind_maps_parsed_claims() -> None:
    """Profiles' claim kinds map onto template kinds; vague or plain statements become 'vague'."""
    assert loader.resume_kind("metric") == "metric"
    assert loader.resume_kind("technology") == "technology"
    assert loader.resume_kind("metric", vague=True) == "vague"
    assert loader.resume_kind("statement") == "vague"


def test_templates_reject_unknown_placeholders() -> None:
    """A typo in a placeholder name is caught when the data is validated."""
    with pytest.raises(ValidationError, match="unknown placeholder"):
        ResumeTemplate(id="x", claim_kind="metric", prompt="About {clam}?", aims="a")
    with pytest.raises(ValidationError, match="must use one of"):
        SystemDesignPrompt.model_validate(
            {**loader.load_banks().system_design[0].model_dump(), "prompt": "No tie at all."}
        )


def test_item_difficulty_must_match_its_level() -> None:
    """An A2 item placed at +2 logits is refused."""
    item = loader.english_items()[0].model_dump()
    with pytest.raises(ValidationError, match="outside A2"):
        EnglishItem.model_validate({**item, "level": "A2", "difficulty": 2.0})


def test_invalid_item_error_names_file_and_item(data_copy: Path) -> None:
    """A bad answer index is reported with the file name, the item id and the field."""
    path = data_copy / "english_grammar.toml"
    path.write_text(
        re.sub(r"answer = \d", "answer = 9", path.read_text(encoding="utf-8"), count=1),
        encoding="utf-8",
    )
    first_grammar = next(i for i in loader.english_items() if i.kind == "grammar")
    with pytest.raises(BankDataError) as excinfo:
        loader.read_banks(data_copy)
    message = str(excinfo.value)
    assert excinfo.value.code == "question_bank_invalid"
    assert f"english_grammar.toml: items[0] id={first_grammar.id!r} answer:" in message


def test_invalid_prompt_error_names_file_and_item(data_copy: Path) -> None:
    """A behavioural prompt with too few rubric points is reported by file and id."""
    path = data_copy / "behavioral.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('competency = "ownership"', 'competency = ""'), encoding="utf-8")
    with pytest.raises(BankDataError, match=r"behavioral\.toml: prompts\[0\] id='bh-ownership'"):
        loader.read_banks(data_copy)


def test_missing_and_malformed_files_are_clear_errors(data_copy: Path) -> None:
    """A missing file and a TOML syntax error each name the file."""
    (data_copy / "writing.toml").unlink()
    with pytest.raises(BankDataError, match=r"writing\.toml: question bank file is missing"):
        loader.read_banks(data_copy)
    shutil.copy(loader.DATA_DIR / "writing.toml", data_copy / "writing.toml")
    (data_copy / "resume.toml").write_text("[[templates]\n", encoding="utf-8")
    with pytest.raises(BankDataError, match=r"resume\.toml: not valid TOML"):
        loader.read_banks(data_copy)


def test_version_changes_when_the_data_changes(data_copy: Path) -> None:
    """The content hash is stable for identical data and differs after an edit."""
    assert loader.read_banks(data_copy).version == loader.load_banks().version
    with (data_copy / "writing.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    assert loader.read_banks(data_copy).version != loader.load_banks().version
