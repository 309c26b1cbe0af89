"""Bulk job import from CSV or JSON Lines: valid rows are created, invalid rows are reported."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.jobs import service
from hiresight.jobs.schemas import JobCreate

LIST_FIELDS = ("requirements",)


@dataclass
class Rejected:
    """A row that was not imported, with its line number and why."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did."""

    created: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def read_rows(text: str, kind: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row) pairs; a row that cannot even be read is its error message."""
    if kind == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON: {exc.msg}"
                continue
            yield number, row if isinstance(row, dict) else "a JSON object is expected"
        return
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        clean: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
        for name in LIST_FIELDS:
            if isinstance(clean.get(name), str):
                clean[name] = [p.strip() for p in clean[name].split(";") if p.strip()]
        if isinstance(clean.get("remote"), str):
            clean["remote"] = clean["remote"].strip().lower() in ("1", "true", "yes", "y")
        yield reader.line_num, clean


def _reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "row"
    return f"{where}: {first['msg']}"


def import_jobs(
    session: Session, *, actor: User, text: str, kind: str, status: str | None = None
) -> Iterator[tuple[int, ImportReport]]:
    """Import rows one by one, yielding progress; the caller commits."""
    report = ImportReport()
    for number, row in read_rows(text, kind):
        if isinstance(row, str):
            report.rejected.append(Rejected(number, row))
        else:
            if status and "status" not in row:
                row["status"] = status
            try:
                data = JobCreate.model_validate(row)
            except ValidationError as exc:
                report.rejected.append(Rejected(number, _reason(exc)))
            else:
                service.create(session, actor=actor, data=data)
                report.created += 1
        yield number, report
