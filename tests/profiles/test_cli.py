"""`hiresight resume parse` and `hiresight resume skills`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiresight.profiles.cli import app
from tests.profiles.factories import SAMPLE_TXT, pdf_bytes

runner = CliRunner()


def test_parse_prints_a_human_summary(tmp_path: Path) -> None:
    """The summary shows the name, roles with months, skills, claims and vague lines."""
    path = tmp_path / "cv.txt"
    path.write_text(SAMPLE_TXT, "utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Zoë Çelik  [txt]")
    assert "Senior Backend Engineer at Paylane: Jan 2021 – present" in result.output
    assert "Top claims:" in result.output
    assert "Vague lines:" in result.output
    assert "- Apache Kafka (messaging): quantified" in result.output


def test_parse_json_is_the_full_model(tmp_path: Path) -> None:
    """--json prints the ParsedResume as JSON."""
    path = tmp_path / "cv.txt"
    path.write_text(SAMPLE_TXT, "utf-8")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["contact"]["email"] == "zoe.celik@example.com"


def test_bad_input_exits_2_with_the_error_code(tmp_path: Path) -> None:
    """A PDF named .docx prints the stable code and exits with status 2."""
    path = tmp_path / "cv.docx"
    path.write_bytes(pdf_bytes(["Experience"]))
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert "error [resume_type_mismatch]" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    """An unreadable path is reported, not a traceback."""
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2
    assert "error [resume_unreadable]" in result.output


def test_skills_search_command() -> None:
    """`skills k8s` lists Kubernetes with its aliases."""
    result = runner.invoke(app, ["skills", "k8s"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("Kubernetes (devops) — k8s")


def test_a_file_past_a_parse_limit_exits_2_with_resume_too_complex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI parses in a worker under the HIRESIGHT_PARSE_* limits and names the reason."""
    from hiresight.settings import get_settings
    from tests.profiles.factories import cpu_heavy_pdf

    monkeypatch.setenv("HIRESIGHT_PARSE_CPU_SECONDS", "1")
    monkeypatch.setenv("HIRESIGHT_PARSE_TIMEOUT_SECONDS", "1")
    get_settings.cache_clear()
    path = tmp_path / "dense.pdf"
    path.write_bytes(cpu_heavy_pdf())
    try:
        result = runner.invoke(app, ["parse", str(path)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "error [resume_too_complex]" in result.output


def test_parse_takes_its_limits_from_the_composition_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's HIRESIGHT_PARSE_* limits are those of the process's root."""
    from hiresight import runtime
    from hiresight.profiles import isolation
    from hiresight.profiles.parsed import ParsedResume
    from hiresight.settings import Settings

    root = runtime.Root(Settings(parse_cpu_seconds=3, parse_timeout_seconds=4.5))
    monkeypatch.setattr("hiresight.profiles.cli.load_root", lambda: root)
    seen: list[isolation.ParseLimits] = []
    real = isolation.parse_resume

    def parse(data: bytes, name: str, *, limits: isolation.ParseLimits) -> ParsedResume:
        seen.append(limits)
        return real(data, name, limits=limits)

    monkeypatch.setattr(isolation, "parse_resume", parse)
    path = tmp_path / "cv.txt"
    path.write_text(SAMPLE_TXT, "utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert [(lim.cpu_seconds, lim.timeout_seconds) for lim in seen] == [(3, 4.5)]
