"""benchmarks/common.py: re-running a benchmark replaces its generated figures and nothing else."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.scripts import load_script


def load_common() -> ModuleType:
    # The scripts import `common` as a sibling module, so it is loaded from its file here.
    return load_script("benchmarks/common.py", "benchmarks_common")


DOC = """# Benchmarks

## Embeddings

Measured on day 1.

| measure | value |
|---|---|
| p50 | 30 ms |

Reading (written by hand after the day 1 run): 30 ms, on the target.

Second paragraph of the reading.

## Grading

Measured on day 1.
"""


def test_rewrite_keeps_the_hand_written_reading_and_other_sections(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(DOC)
    load_common().write_section(
        "## Embeddings\n\nMeasured on day 2.\n\n| p50 | 20 ms |\n", "## Embeddings", doc
    )
    assert doc.read_text() == DOC.replace(
        "Measured on day 1.\n\n| measure | value |\n|---|---|\n| p50 | 30 ms |",
        "Measured on day 2.\n\n| p50 | 20 ms |",
        1,
    )


def test_rewrite_without_a_reading_replaces_the_whole_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Grading\n\nold figures\n\n## Scoring\n\nkept\n")
    load_common().write_section("## Grading\n\nnew figures\n", "## Grading", doc)
    assert doc.read_text() == "# Benchmarks\n\n## Grading\n\nnew figures\n\n## Scoring\n\nkept\n"


def test_a_new_section_is_appended(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Grading\n\nfigures\n")
    load_common().write_section("## Recommendations\n\nrows\n", "## Recommendations", doc)
    assert (
        doc.read_text() == "# Benchmarks\n\n## Grading\n\nfigures\n\n## Recommendations\n\nrows\n"
    )
