"""`hiresight resume parse` and `hiresight resume skills`."""

from __future__ import annotations

import json
from pathlib import Path

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
