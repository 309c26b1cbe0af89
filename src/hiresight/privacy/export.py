"""Everything held about a candidate, as a zip: data.json and the original files.

The rows are the ones erasure would remove (`graph.collect` from the user), so the export and
the deletion agree on what "the candidate's data" is. What each table shows follows what the
candidate already sees: `EXPORT_POLICY` leaves out secrets (password and token hashes), the
grader's private material and answer keys (hidden tests, a code review's rubric points), and
recruiter-only notes and panel scorecards, as the candidate's scorecard does. A table that is
not classified yet is withheld and named in data.json; a test lists such tables.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import mimetypes
import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import LargeBinary, MetaData, select
from sqlalchemy.orm import Session

from hiresight.db import utcnow
from hiresight.interviews.config import StageKind
from hiresight.jobs.models import Job
from hiresight.privacy import graph

FORMAT = "hiresight-export/1"


@dataclass(frozen=True)
class Shown:
    """The table's rows are exported without the `hidden` columns."""

    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Withheld:
    """The table's rows are left out of the export, for `reason` (written into data.json)."""

    reason: str


def _shown(*hidden: str) -> Shown:
    return Shown(frozenset(hidden))


# Every table whose rows can belong to a candidate (graph.reachable_tables), and how it is shown.
EXPORT_POLICY: dict[str, Shown | Withheld] = {
    "users": _shown("password_hash"),
    "web_sessions": _shown("token_hash"),
    "api_tokens": _shown("token_hash"),
    "candidate_profiles": _shown(),
    "resume_versions": _shown(),
    "portfolio_reviews": _shown(),
    "interview_sessions": _shown("config"),
    # `private` holds hidden tests and reference solutions; `result` the grader's detail.
    "stage_attempts": _shown("private", "result"),
    "integrity_events": _shown(),
    "attempt_scores": _shown(),
    "pending_work": Withheld("background-work bookkeeping: ids and retry state only"),
    "applications": _shown(),
    # The decisions as the candidate sees them; the recruiter's note and name are internal.
    "application_moves": _shown("note", "actor_id"),
    "panel_scorecards": Withheld("interviewers' internal notes, not shown to candidates"),
    "engagement_events": _shown(),
    "recs_exposures": _shown(),
    "takehome_submissions": _shown(),
    # The report compares the work with the hidden answers: shown to the organization only.
    "takehome_versions": _shown("report"),
    "takehome_invitations": _shown("assigned_by_id"),
    "deletion_requests": _shown(),
    "login_attempts": _shown(),
    "interview_consents": _shown(),
    "interview_accommodations": _shown("granted_by_id"),
    "candidate_requests": _shown("resolved_by_id"),
    "self_identifications": _shown(),
    "voice_consents": _shown(),
    "answer_recordings": _shown(),
    "recording_chunks": _shown(),
    # The nonce is the secret of the invitation link; the key is the organization's.
    "partner_invitations": _shown("nonce", "api_key_id", "email_error"),
}
UNCLASSIFIED = Withheld("not yet classified for export")
# A code review's missed points are the reference explanation of its bugs (the answer key).
_ANSWER_KEY_COLUMNS = ("points_missed", "closest")
SPOOL_BYTES = 16 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _file_name(table: str, row: dict[str, Any], column: str) -> str:
    suffix = mimetypes.guess_extension(str(row.get("mime_type") or "").split(";")[0]) or ".bin"
    stem = str(row.get("filename") or f"{column}{suffix}")
    return f"files/{table}/{row['id']}-{_SAFE_NAME.sub('_', stem)[:120]}"


def write(
    session: Session, *, person: dict[str, Any], metadata: MetaData, target: IO[bytes]
) -> dict[str, Any]:
    """Write the archive of everything held about the person (`service.person_of`) to
    `target`: each file as it is read, one at a time, then data.json. Returns data.json."""
    rows = graph.person_rows(session, metadata, person)
    tables: dict[str, list[dict[str, Any]]] = {}
    withheld: dict[str, str] = {}
    files: list[str] = []
    code_reviews = _code_review_attempts(session, metadata, rows)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in metadata.sorted_tables:
            keys = rows.delete.get(table.name)
            if not keys:
                continue
            policy = EXPORT_POLICY.get(table.name, UNCLASSIFIED)
            if isinstance(policy, Withheld):
                withheld[table.name] = policy.reason
                continue
            key = graph.key_of(table)
            blobs = [c for c in table.columns if isinstance(c.type, LargeBinary)]
            # Files are read one row at a time below, never a whole table of them at once.
            shown = [c for c in table.columns if c.name not in policy.hidden and c not in blobs]
            found = session.execute(select(*shown).where(key.in_(sorted(keys))).order_by(key))
            out = []
            for mapping in found.mappings():
                row = dict(mapping)
                if table.name == "attempt_scores" and row.get("attempt_id") in code_reviews:
                    for name in _ANSWER_KEY_COLUMNS:
                        row.pop(name, None)
                for column in blobs:
                    content = session.scalar(select(column).where(key == mapping[key.name]))
                    if content is not None and column.name not in policy.hidden:
                        path = _file_name(table.name, row, column.name)
                        archive.writestr(path, bytes(content))
                        files.append(path)
                        row[column.name] = {"file": path}
                out.append({k: _value(v) for k, v in row.items()})
            tables[table.name] = out
        data = {
            "format": FORMAT,
            "generated_at": utcnow().isoformat(),
            "user_id": person["id"],
            "tables": tables,
            "jobs": _jobs_named(session, tables),
            "withheld": withheld,
            "files": sorted(files),
        }
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
    return data


def spooled(session: Session, *, person: dict[str, Any], metadata: MetaData) -> IO[bytes]:
    """The archive in a temporary file, rewound: in memory up to `SPOOL_BYTES`, then in an
    unnamed file that disappears when closed (résumés, take-homes and audio add up)."""
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    try:
        write(session, person=person, metadata=metadata, target=target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _code_review_attempts(session: Session, metadata: MetaData, rows: graph.RowSet) -> set[Any]:
    keys = rows.delete.get("stage_attempts")
    if not keys:
        return set()
    attempts = metadata.tables["stage_attempts"]
    stmt = select(attempts.c.id).where(
        attempts.c.id.in_(sorted(keys)), attempts.c.stage == StageKind.code_review.value
    )
    return set(session.scalars(stmt))


def _jobs_named(session: Session, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The title and employer of each job the rows name, so the export reads on its own."""
    ids = {
        row["job_id"]
        for rows in tables.values()
        for row in rows
        if isinstance(row.get("job_id"), int)
    }
    named: dict[str, Any] = {}
    for job in session.scalars(select(Job).where(Job.id.in_(sorted(ids))).order_by(Job.id)):
        named[str(job.id)] = {"title": job.title, "organization": job.organization.name}
    return named
