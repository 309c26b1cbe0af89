"""README heuristics: headings, purpose, run instructions, usage/results, badges ignored."""

from __future__ import annotations

from pathlib import Path

from hiresight.portfolio.readme import analyse_readme, find_readme, headings_of

from .factories import README_GOOD, write


def test_headings_in_all_syntaxes() -> None:
    """ATX, setext, reStructuredText and HTML headings are found in document order."""
    text = (
        "<h1 align='center'>Tool</h1>\n\n# Intro #\n\nSetup\n-----\n\nUsage\n=====\n\n"
        "Results\n~~~~~~~\n\n## **API**\n"
    )
    assert headings_of(text) == ["Tool", "Intro", "Setup", "Usage", "Results", "API"]


def test_complete_readme_finds_every_part(tmp_path: Path) -> None:
    """The model README yields a purpose paragraph, an install section and a usage section."""
    write(tmp_path, "README.md", README_GOOD)
    found = analyse_readme(tmp_path)
    assert found.path == "README.md"
    assert found.problem_evidence == "opening paragraph of 29 words"
    assert found.install_evidence == 'section "Installation"'
    assert found.usage_evidence == 'section "Usage"'
    assert found.words > 150


def test_commands_and_screenshots_count_without_headings(tmp_path: Path) -> None:
    """A run command in a code block and a screenshot stand in for missing sections."""
    write(
        tmp_path,
        "readme.rst",
        "Tool\n====\n\n```\n$ cargo run --release\n```\n\n.. image:: docs/shot.png\n",
    )
    found = analyse_readme(tmp_path)
    assert found.path == "readme.rst"
    assert found.install_evidence == 'command "$ cargo run --release"'
    assert found.usage_evidence == "1 screenshot(s)/image(s)"
    assert found.problem_evidence is None


def test_badges_are_not_screenshots_or_prose(tmp_path: Path) -> None:
    """A README of only a title and status badges has no purpose, usage or screenshots."""
    write(
        tmp_path,
        "README.md",
        "# x\n\n[![build](https://img.shields.io/badge/build-passing-green)](https://ci)\n"
        "![cov](https://codecov.io/gh/a/b/badge.svg)\n",
    )
    found = analyse_readme(tmp_path)
    assert (found.problem_evidence, found.install_evidence, found.usage_evidence) == (
        None,
        None,
        None,
    )


def test_code_block_is_not_the_opening_paragraph(tmp_path: Path) -> None:
    """Prose inside a fenced code block (with blank lines) is not taken as the purpose."""
    code = "```\none two three four five six\n\nseven eight nine ten eleven twelve thirteen\n```\n"
    write(tmp_path, "README.md", "# Tool\n\n" + code + "\nShort line.\n")
    assert analyse_readme(tmp_path).problem_evidence is None


def test_markdown_preferred_and_missing_readme(tmp_path: Path) -> None:
    """README.md wins over README.txt; no README gives empty findings."""
    assert find_readme(tmp_path) is None
    assert analyse_readme(tmp_path).path is None
    write(tmp_path, "README.txt", "plain")
    write(tmp_path, "ReadMe.md", "# md")
    assert find_readme(tmp_path) == tmp_path / "ReadMe.md"
