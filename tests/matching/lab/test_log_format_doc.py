"""The worked example in docs/operations.md converts a job-view log the lab can read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hiresight.matching.entities import EventKind
from hiresight.matching.lab.evaluate import read_log_csv
from hiresight.matching.lab.records import read_job_file
from tests.matching.lab.conftest import HashEmbedder

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = Path(__file__).parent / "data" / "job_views.csv"


def _converter() -> Callable[[Path, Path], None]:
    """The `convert` function of the doc's Python block under "Converting a public..."."""
    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = doc[doc.index("### Converting a public job-view log") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "operations.md", "exec"), namespace)
    convert = namespace["convert"]
    assert callable(convert)
    return convert  # type: ignore[return-value]


def test_the_documented_conversion_yields_a_readable_log(
    tmp_path: Path, hash_embedder: HashEmbedder
) -> None:
    """Every view becomes a click in time order; each job once, text only, ids shared."""
    _converter()(FIXTURE, tmp_path)
    rows = read_log_csv(tmp_path / "log.csv")
    views = FIXTURE.read_text().strip().splitlines()[1:]
    assert len(rows) == len(views)
    assert {r.event for r in rows} == {EventKind.CLICK}
    assert [r.timestamp for r in rows] == sorted(r.timestamp for r in rows)
    jobs = read_job_file(tmp_path / "jobs.jsonl", lambda: hash_embedder)
    assert {r.item for r in rows} == {j.id for j in jobs.postings}
    assert len({r.user for r in rows}) == 4
    by_title = {j.title: j for j in jobs.postings}
    assert by_title["iOS Developer, Swift"].location == "Munich"
    assert "vector" not in (tmp_path / "jobs.jsonl").read_text()
