"""Tests for `hiresight scoring answer|calibrate|validate` and `hiresight english assess`.

(`hiresight scoring rescore` is tested with its database in test_rescore.py.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiresight.scoring.cli import app, english_app
from hiresight.settings import get_settings
from tests.scoring.providers.fake_llm import quoting_judge, running
from tests.scoring.test_freetext import EVASIVE, SPECIFIC_CONFLICT

SAMPLE = Path(__file__).parent / "data" / "validity_sample"

runner = CliRunner()
ARGS = [
    "answer",
    "--question",
    "How would you make a slow API endpoint faster?",
    "--reference",
    "Profile first. Cache repeated reads in Redis.",
    "--answer",
    "I would profile it with py-spy, then cache the repeated reads in Redis.",
]


def test_answer_prints_score_and_evidence() -> None:
    """The human output shows the score and a quoted evidence line."""
    result = runner.invoke(app, ARGS)
    assert result.exit_code == 0, result.output
    assert "Score:" in result.output
    assert "Redis" in result.output


def test_answer_json_with_points_file(tmp_path: Path) -> None:
    """--json prints a Score; --points reads one rubric point per line."""
    points = tmp_path / "points.txt"
    points.write_text("Profile to find the bottleneck\nExplain the rollback plan\n")
    result = runner.invoke(app, [*ARGS, "--points", str(points), "--kind", "resume", "--json"])
    assert result.exit_code == 0, result.output
    score = json.loads(result.output)
    assert score["kind"] == "resume"
    assert score["provider"] == "rubric"
    assert "Explain the rollback plan" in score["points_missed"]


def test_answer_bad_points_file_is_clear_error(tmp_path: Path) -> None:
    """An invalid JSON points file exits 2 with a stable error code."""
    points = tmp_path / "points.json"
    points.write_text('{"not": "a list"}')
    result = runner.invoke(app, [*ARGS, "--points", str(points)])
    assert result.exit_code == 2
    assert "scoring_points_file" in result.output


def test_answer_with_a_bank_prompt_uses_its_rubric_material() -> None:
    """--prompt bh-conflict scores as the interview does: the specific story far above the
    evasive answer, and missed points name the closest sentence."""

    def scored(text: str) -> dict:
        result = runner.invoke(
            app, ["answer", "--prompt", "bh-conflict", "--answer", text, "--json"]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    specific, evasive = scored(SPECIFIC_CONFLICT), scored(EVASIVE)
    assert specific["kind"] == "behavioural"
    assert specific["value"] - evasive["value"] >= 20
    assert len(evasive["points_missed"]) == 5


def test_answer_without_question_or_prompt_is_a_clear_error() -> None:
    """Neither --question nor --prompt: exit 2 with a stable code; an unknown prompt likewise."""
    result = runner.invoke(app, ["answer", "--answer", "Some answer."])
    assert result.exit_code == 2
    assert "scoring_invalid_input" in result.output
    result = runner.invoke(app, ["answer", "--prompt", "no-such", "--answer", "Some answer."])
    assert result.exit_code == 2
    assert "scoring_unknown_prompt" in result.output


def test_calibrate_prints_agreement_table() -> None:
    """calibrate prints the table and the agreement summary."""
    result = runner.invoke(app, ["calibrate"])
    assert result.exit_code == 0, result.output
    assert "| case | kind | level |" in result.output
    assert "Agreement:" in result.output


def test_english_assess_text_file(tmp_path: Path) -> None:
    """assess on a text file prints a CEFR estimate and sub-scores."""
    sample = tmp_path / "essay.txt"
    sample.write_text(
        "Last year I worked on a booking system for a small hotel. I wrote the API in Python "
        "and learned to test early, because bugs found late are expensive to fix."
    )
    result = runner.invoke(english_app, ["assess", str(sample)])
    assert result.exit_code == 0, result.output
    assert "CEFR estimate:" in result.output
    assert "accuracy" in result.output


def test_english_assess_json_with_mc(tmp_path: Path) -> None:
    """A JSON input with responses gives an MC estimate; --json prints the result."""
    data = tmp_path / "english.json"
    data.write_text(json.dumps({"responses": [{"difficulty": 0.0, "correct": True}]}))
    result = runner.invoke(english_app, ["assess", str(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mc"]["items"] == 1
    assert out["writing"] is None


def test_english_assess_missing_file() -> None:
    """A missing file exits 2 with a clear message."""
    result = runner.invoke(english_app, ["assess", "/nonexistent/essay.txt"])
    assert result.exit_code == 2
    assert "english_file" in result.output


def test_english_assess_bad_json_shape(tmp_path: Path) -> None:
    """A JSON file of the wrong shape exits 2 with a stable code, no traceback."""
    data = tmp_path / "english.json"
    data.write_text(json.dumps({"writing": 42}))
    result = runner.invoke(english_app, ["assess", str(data)])
    assert result.exit_code == 2
    assert "english_file" in result.output


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read afresh, with no LLM endpoint unless a test sets one."""
    for name in ("HIRESIGHT_AI_PROVIDER", "HIRESIGHT_LLM_BASE_URL", "HIRESIGHT_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_validate_prints_pairs_star_and_targets() -> None:
    """validate on a folder prints both halves, the STAR table and the targets; exit 0."""
    result = runner.invoke(app, ["validate", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "Provider: rubric" in result.output
    assert "| half | kind | pairs | won |" in result.output
    assert "| tune | resume |" in result.output
    assert "| report | behavioural |" in result.output
    assert "## STAR parts" in result.output
    assert "Targets on the tune half:" in result.output
    assert "Targets on the report half:" in result.output


def test_validate_json_one_half() -> None:
    """--json --half report prints the report half's figures and its targets missed."""
    result = runner.invoke(app, ["validate", str(SAMPLE), "--json", "--half", "report"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {p["half"] for p in out["pairs"]} == {"report"}
    assert {k["half"] for k in out["kinds"]} == {"report"}
    assert [s["half"] for s in out["star"]] == ["report"]
    assert set(out["targets_failed"]) == {"report"}
    assert out["provider"] == "rubric"


def test_validate_strict_exits_1_on_missed_targets() -> None:
    """--strict turns a missed report-half target into exit code 1 (the sample misses some)."""
    result = runner.invoke(app, ["validate", str(SAMPLE), "--half", "tune", "--strict"])
    assert result.exit_code == 1, result.output
    assert "Targets on the tune half:" in result.output
    assert "--strict: the report half misses" in result.output


def test_validate_bad_folder_is_clear_error(tmp_path: Path) -> None:
    """A folder without validity files exits 2 with the stable code."""
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "error [scoring_validity_data]: no validity files" in result.output


def test_validate_openai_without_endpoint(llm_env: pytest.MonkeyPatch) -> None:
    """--provider openai with no endpoint configured exits 2 and says what to set."""
    result = runner.invoke(app, ["validate", str(SAMPLE), "--provider", "openai"])
    assert result.exit_code == 2
    assert "error [scoring_provider_config]:" in result.output
    assert "HIRESIGHT_LLM_BASE_URL" in result.output


def test_validate_openai_against_the_fake_endpoint(llm_env: pytest.MonkeyPatch) -> None:
    """--provider openai grades every answer on the configured endpoint, quotes checked."""
    with running() as fake:
        fake.responder = quoting_judge
        llm_env.setenv("HIRESIGHT_LLM_BASE_URL", fake.base_url)
        llm_env.setenv("HIRESIGHT_LLM_MODEL", "judge")
        llm_env.setenv("HIRESIGHT_LLM_TIMEOUT", "5")
        get_settings.cache_clear()
        result = runner.invoke(app, ["validate", str(SAMPLE), "--json"])
        assert json.loads(result.output)["provider"] == "rubric"
        requests_before = len(fake.requests)
        result = runner.invoke(app, ["validate", str(SAMPLE), "--provider", "openai", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["provider"] == "openai:judge"
    assert out["fallbacks"] == 0
    assert requests_before == 0
    # Answers of three words or more go to the model: 6 pairs, the shortest weak answer included.
    assert len(fake.requests) == 12
    by_id = {p["id"]: p for p in out["pairs"]}
    assert (by_id["bh-conflict-schema-migration"]["strong"], by_id["rs-latency-cut"]["weak"]) == (
        80.0,
        20.0,
    )
    prompts = [r["body"]["messages"][-1]["content"] for r in fake.requests]
    assert any("situation: " in p for p in prompts)  # the bank prompt's STAR descriptions
