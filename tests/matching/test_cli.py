"""The `recs` Typer app: evaluate, train and experiments report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hiresight.matching.cli as cli_module
from hiresight import migrate
from hiresight.matching.cli import app
from hiresight.matching.lab.evaluate import events_to_log, write_log_csv
from hiresight.matching.lab.simulator import Marketplace
from hiresight.matching.lab.textmarket import write_text_log
from hiresight.settings import get_settings
from tests.matching.lab.conftest import HashEmbedder

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty, migrated SQLite database in a data directory of its own, as the CLI sees it."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIRESIGHT_DATABASE_URL", raising=False)
    monkeypatch.delenv("HIRESIGHT_RECS_EXPERIMENT", raising=False)
    get_settings.cache_clear()
    migrate.upgrade(get_settings().effective_database_url)
    yield tmp_path
    get_settings.cache_clear()


def test_train_from_an_empty_database_keeps_the_content_ranker(database: Path) -> None:
    """By default train reads the database; with nothing logged it says cold start."""
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    assert "version: -  promoted: False  (cold_start: no recommendation lists" in result.output
    assert not (database / "models" / "LIVE").exists()


def test_train_every_repeats_until_runs(database: Path) -> None:
    """Continuous training: --every retrains on a schedule, --runs bounds it."""
    result = runner.invoke(app, ["train", "--every", "0.01", "--runs", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.count("cold_start") == 3


def test_train_refuses_two_sources(tmp_path: Path) -> None:
    """--simulate and --log together are a usage error."""
    result = runner.invoke(
        app, ["train", "--simulate", "--log", "x.csv", "--candidates", "c", "--jobs", "j"]
    )
    assert result.exit_code == 2


def test_experiments_report_from_an_empty_database(database: Path) -> None:
    """Without a file the report reads the database and says when nothing was exposed."""
    result = runner.invoke(app, ["experiments", "report"])
    assert result.exit_code == 0, result.output
    assert "No experiment has exposures yet" in result.output


def test_evaluate_on_a_log_writes_table_and_plot(small_market: Marketplace, tmp_path: Path) -> None:
    """evaluate --log prints a metric table per model and writes the PNG."""
    write_log_csv(events_to_log(small_market.events), tmp_path / "log.csv")
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--log",
            str(tmp_path / "log.csv"),
            "--k",
            "5,10",
            "--plot",
            str(tmp_path / "p.png"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| als | 10 |" in result.output
    assert (tmp_path / "p.png").is_file()


def test_evaluate_rejects_bad_k() -> None:
    """--k must be positive integers."""
    result = runner.invoke(app, ["evaluate", "--k", "five"])
    assert result.exit_code == 2


def test_evaluate_reports_a_bad_log_with_its_code(tmp_path: Path) -> None:
    """A log with a missing column exits 2 with the stable error code."""
    (tmp_path / "log.csv").write_text("user,item\n1,2\n")
    result = runner.invoke(app, ["evaluate", "--log", str(tmp_path / "log.csv")])
    assert result.exit_code == 2
    assert "matching_invalid_log" in result.output


def test_train_creates_a_live_version(tmp_path: Path) -> None:
    """train --simulate on simulator data registers v0001 and promotes it over ContentRanker."""
    result = runner.invoke(
        app, ["train", "--simulate", "--registry", str(tmp_path), "--sessions", "3000"]
    )
    assert result.exit_code == 0, result.output
    assert "version: v0001  promoted: True" in result.output
    assert (tmp_path / "LIVE").read_text().strip() == "v0001"


def test_experiments_report(tmp_path: Path) -> None:
    """experiments report prints one table per experiment from a JSON log."""
    records = [
        {
            "experiment": "e",
            "variant": v,
            "candidate_id": i,
            "clicked": i % 2 == 0,
            "applied": False,
        }
        for i, v in enumerate(["a", "b"] * 10)
    ]
    (tmp_path / "x.json").write_text(json.dumps(records))
    result = runner.invoke(app, ["experiments", "report", str(tmp_path / "x.json")])
    assert result.exit_code == 0, result.output
    assert "## e" in result.output
    assert "| a | 10 | 100.00%" in result.output


def _write_log_and_profiles(market: Marketplace, tmp_path: Path) -> None:
    """The market as a log CSV, candidates JSONL and jobs JSONL in tmp_path."""
    write_log_csv(events_to_log(market.events), tmp_path / "log.csv")
    with open(tmp_path / "c.jsonl", "w") as f:
        for c in market.candidates:
            f.write(
                json.dumps(
                    {
                        "id": c.id,
                        "vector": c.vector.tolist(),
                        "skills": sorted(c.skills),
                        "location": c.location,
                        "seniority": c.seniority,
                        "years": c.years,
                    }
                )
                + "\n"
            )
    with open(tmp_path / "j.jsonl", "w") as f:
        for j in market.jobs:
            f.write(
                json.dumps(
                    {
                        "id": j.id,
                        "company_id": j.company_id,
                        "vector": j.vector.tolist(),
                        "required_skills": sorted(j.required_skills),
                        "posted_at": j.posted_at,
                    }
                )
                + "\n"
            )


def test_train_from_log_and_profiles(small_market: Marketplace, tmp_path: Path) -> None:
    """train --log with --candidates/--jobs registers a version from files."""
    _write_log_and_profiles(small_market, tmp_path)
    result = runner.invoke(
        app,
        [
            "train",
            "--registry",
            str(tmp_path / "reg"),
            "--log",
            str(tmp_path / "log.csv"),
            "--candidates",
            str(tmp_path / "c.jsonl"),
            "--jobs",
            str(tmp_path / "j.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "version: v0001" in result.output


def test_train_from_a_log_with_text_only_jobs(
    small_market: Marketplace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """train --log --jobs with text-only jobs and no candidate file registers a version."""
    monkeypatch.setattr(cli_module, "_embedder", HashEmbedder)
    write_log_csv(events_to_log(small_market.events), tmp_path / "log.csv")
    _, jobs = write_text_log(small_market, tmp_path / "text")
    result = runner.invoke(app, [
        "train", "--registry", str(tmp_path / "reg"), "--log", str(tmp_path / "log.csv"),
        "--jobs", str(jobs),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "version: v0001" in result.output


def test_train_log_without_profiles_is_refused(tmp_path: Path) -> None:
    """--log alone is a usage error."""
    result = runner.invoke(app, ["train", "--registry", str(tmp_path), "--log", "x.csv"])
    assert result.exit_code == 2


def test_evaluate_a_log_with_profiles_runs_every_model(
    small_market: Marketplace, tmp_path: Path
) -> None:
    """With candidate and job files, a log is compared on all six models."""
    _write_log_and_profiles(small_market, tmp_path)
    result = runner.invoke(app, [
        "evaluate", "--log", str(tmp_path / "log.csv"), "--candidates",
        str(tmp_path / "c.jsonl"), "--jobs", str(tmp_path / "j.jsonl"), "--k", "10",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    for model in ("popularity", "cooccurrence", "als", "gru4rec", "content", "lightgbm"):
        assert f"| {model} | 10 |" in result.output


def test_evaluate_a_text_only_log_runs_every_model(
    small_market: Marketplace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view log with text-only jobs (no vectors, no candidates) gets every model, and each
    model's metrics for all, warm and cold test users."""
    monkeypatch.setattr(cli_module, "_embedder", HashEmbedder)
    log, jobs = write_text_log(small_market, tmp_path)
    assert "vector" not in jobs.read_text()
    result = runner.invoke(app, ["evaluate", "--log", str(log), "--jobs", str(jobs), "--k", "10"])
    assert result.exit_code == 0, result.output
    assert "cold test users (no training history):" in result.output
    models = ("popularity", "cooccurrence", "als", "gru4rec", "content", "tfidf", "embedding",
              "session", "recent_review", "city_popularity", "hybrid")  # fmt: skip
    for model in models:
        for segment in ("all", "warm", "cold"):
            assert f"| {model} | {segment} |" in result.output


def test_evaluate_repeats_counts_re_views_and_says_so(
    small_market: Marketplace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--repeats makes re-views relevant; the note on re-views says which protocol ran."""
    monkeypatch.setattr(cli_module, "_embedder", HashEmbedder)
    log, jobs = write_text_log(small_market, tmp_path)
    args = ["evaluate", "--log", str(log), "--jobs", str(jobs), "--k", "10", "--half", "tune"]
    result = runner.invoke(app, [*args, "--repeats"])
    assert result.exit_code == 0, result.output
    assert "in the test window they count as relevant" in result.output
    assert "| recent_review | cold |" in result.output


def test_evaluate_reports_a_bad_job_line_in_one_line(tmp_path: Path) -> None:
    """A malformed job line is one error line naming file and line, exit 2, no traceback."""
    (tmp_path / "log.csv").write_text("user,item,timestamp,event\n1,7,1,click\n")
    (tmp_path / "jobs.jsonl").write_text('{"id": 7, "title": "Dev"}\n{"id": 8}\n')
    result = runner.invoke(app, [
        "evaluate", "--log", str(tmp_path / "log.csv"), "--jobs", str(tmp_path / "jobs.jsonl"),
    ])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error [matching_invalid_log]: {tmp_path / 'jobs.jsonl'}:2: field 'title' is missing"
    ]


def test_evaluate_needs_candidates_and_jobs_together(tmp_path: Path) -> None:
    """--candidates without --jobs is a usage error."""
    result = runner.invoke(app, ["evaluate", "--log", "x.csv", "--candidates", "c.jsonl"])
    assert result.exit_code == 2
