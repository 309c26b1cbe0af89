"""Take-home operations on paths: check an assignment, evaluate a submission.

A submission is a folder, an archive (.zip, .tar.gz) or a `git bundle` (which keeps history).
An archive is extracted as the portfolio reviewer extracts uploads (zip-slip, links, bombs and
size limits refused with clear errors), a bundle cloned without hooks or foreign config, into
a temporary folder removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import os
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.portfolio.archive import ArchiveLimits, extract_archive
from hiresight.portfolio.errors import ArchiveTooLargeError, BadArchiveError, PortfolioError
from hiresight.portfolio.history import sanitise_untrusted_git
from hiresight.takehome.assignment import open_assignment
from hiresight.takehome.check import check_assignment
from hiresight.takehome.errors import (
    DeadlinePassedError,
    SubmissionNotFoundError,
    TakehomeError,
    UnsupportedUploadError,
)
from hiresight.takehome.evaluate import evaluate_submission
from hiresight.takehome.models import (
    TakehomeAssignment,
    TakehomeInvitation,
    TakehomeSubmission,
    TakehomeVersion,
    VersionState,
)
from hiresight.takehome.schemas import AssignmentSpec, CheckReport, EvaluationReport
from hiresight.webhooks import service as webhooks

# A take-home repository is code plus a small report; data it needs comes from the input.
SUBMISSION_LIMITS = ArchiveLimits(
    max_archive_bytes=50 * 1024 * 1024,
    max_members=5000,
    max_total_bytes=100 * 1024 * 1024,
    max_member_bytes=50 * 1024 * 1024,
)


def check(*, path: Path) -> CheckReport:
    """Check an assignment folder or archive."""
    with open_assignment(path) as assignment:
        return check_assignment(assignment)


def evaluate(
    *,
    assignment: Path,
    submission: Path,
    repeat: bool = True,
    tests: bool = True,
    baselines: bool = True,
) -> EvaluationReport:
    """Evaluate a submission folder or archive (.zip, .tar.gz) against an assignment."""
    with open_assignment(assignment) as spec:
        if submission.is_dir():
            return evaluate_submission(
                spec, submission, repeat=repeat, tests=tests, baselines=baselines
            )
        if not submission.is_file():
            raise SubmissionNotFoundError(f"no submission folder or archive at {submission}")
        with tempfile.TemporaryDirectory(prefix="hiresight-submission-") as tmp:
            if submission.suffix == ".bundle":
                root = clone_bundle(submission, Path(tmp) / "repo")
            else:
                root = extract_archive(submission, Path(tmp), SUBMISSION_LIMITS)
            sanitise_untrusted_git(root)
            return evaluate_submission(
                spec, root, repeat=repeat, tests=tests, baselines=baselines, source="archive"
            )


GIT_TIMEOUT_SECONDS = 30.0


def clone_bundle(bundle: Path, dest: Path) -> Path:
    """Clone a `git bundle` into `dest` (history kept), with no user, system or hook config."""
    size = bundle.stat().st_size
    if size > SUBMISSION_LIMITS.max_archive_bytes:
        raise ArchiveTooLargeError(
            f"the bundle is {size} bytes; the limit is {SUBMISSION_LIMITS.max_archive_bytes}"
        )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(dest.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
    }
    argv = [
        "git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never",
        "-c", "protocol.file.allow=always", "clone", "--quiet", str(bundle.resolve()), str(dest),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BadArchiveError(f"the git bundle cannot be read: {exc}") from exc
    if done.returncode != 0:
        raise BadArchiveError(f"the git bundle cannot be read: {done.stderr.strip()[:300]}")
    total = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file() and not p.is_symlink())
    if total > SUBMISSION_LIMITS.max_total_bytes:
        raise ArchiveTooLargeError(
            f"the cloned bundle holds more than {SUBMISSION_LIMITS.max_total_bytes} bytes"
        )
    return dest


# ---- stored assignments, submissions and versions -------------------------------------------

MAX_ASSIGNMENT_BYTES = 50 * 1024 * 1024
UPLOAD_KINDS = {".zip": "zip", ".tar.gz": "tar.gz", ".tgz": "tar.gz", ".bundle": "bundle"}


def _pack(folder: Path) -> bytes:
    """A folder as a deterministic .tar.gz (sorted, no owners or times)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=6) as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                continue
            info = tar.gettarinfo(str(path), arcname=path.relative_to(folder).as_posix())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            if path.is_file():
                with path.open("rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    return buf.getvalue()


def create_assignment(
    session: Session, *, organization_id: int, created_by_id: int | None, source: Path
) -> TakehomeAssignment:
    """Store an assignment from a folder or archive, validated first."""
    with open_assignment(source) as assignment:
        archive = _pack(assignment.root)
        spec = assignment.spec
    if len(archive) > MAX_ASSIGNMENT_BYTES:
        raise UnsupportedUploadError(
            f"the assignment packs to more than {MAX_ASSIGNMENT_BYTES} bytes"
        )
    row = TakehomeAssignment(
        organization_id=organization_id,
        created_by_id=created_by_id,
        title=spec.title,
        duration_days=spec.duration_days,
        spec=spec.model_dump(mode="json"),
        archive=archive,
        sha256=hashlib.sha256(archive).hexdigest(),
    )
    session.add(row)
    session.flush()
    return row


def start(
    session: Session,
    *,
    assignment: TakehomeAssignment,
    candidate_id: int,
    now: dt.datetime | None = None,
) -> TakehomeSubmission:
    """The candidate's submission, started now with its deadline; the same one if started."""
    existing = session.scalar(
        select(TakehomeSubmission).where(
            TakehomeSubmission.assignment_id == assignment.id,
            TakehomeSubmission.candidate_id == candidate_id,
        )
    )
    if existing is not None:
        return existing
    now = now or utcnow()
    row = TakehomeSubmission(
        assignment_id=assignment.id,
        candidate_id=candidate_id,
        started_at=now,
        deadline_at=now + dt.timedelta(days=assignment.duration_days),
    )
    session.add(row)
    session.flush()
    return row


def upload_kind(filename: str) -> str:
    """zip, tar.gz or bundle, from the upload's name."""
    lowered = filename.lower()
    for suffix, kind in UPLOAD_KINDS.items():
        if lowered.endswith(suffix):
            return kind
    raise UnsupportedUploadError(
        f"{filename!r} is not a .zip, .tar.gz or .bundle (git bundle) file"
    )


def add_version(
    session: Session,
    *,
    submission: TakehomeSubmission,
    filename: str,
    content: bytes,
    now: dt.datetime | None = None,
) -> TakehomeVersion:
    """A new version of the submission; refused after the deadline (the server's clock)."""
    now = now or utcnow()
    if now > submission.deadline_at:
        raise DeadlinePassedError(
            f"the deadline passed at {submission.deadline_at.isoformat()}; no new versions"
        )
    kind = upload_kind(filename)
    if len(content) > SUBMISSION_LIMITS.max_archive_bytes:
        raise UnsupportedUploadError(
            f"the upload is {len(content)} bytes; "
            f"the limit is {SUBMISSION_LIMITS.max_archive_bytes}"
        )
    last = session.scalar(
        select(func.max(TakehomeVersion.number)).where(
            TakehomeVersion.submission_id == submission.id
        )
    )
    row = TakehomeVersion(
        submission_id=submission.id,
        number=(last or 0) + 1,
        filename=filename[:255],
        kind=kind,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def evaluate_version(session: Session, *, version: TakehomeVersion) -> TakehomeVersion:
    """Evaluate a stored version against its stored assignment and keep the report."""
    submission = session.get_one(TakehomeSubmission, version.submission_id)
    assignment = session.get_one(TakehomeAssignment, submission.assignment_id)
    suffix = {"zip": ".zip", "tar.gz": ".tar.gz", "bundle": ".bundle"}[version.kind]
    with tempfile.TemporaryDirectory(prefix="hiresight-version-") as tmp:
        packed = Path(tmp) / "assignment.tar.gz"
        packed.write_bytes(assignment.archive)
        upload = Path(tmp) / f"submission{suffix}"
        upload.write_bytes(version.content)
        try:
            report = evaluate(assignment=packed, submission=upload)
        except (TakehomeError, PortfolioError) as exc:
            version.state = VersionState.failed
            version.error = f"{exc.code}: {exc.message}"
        else:
            version.state = VersionState.evaluated
            version.report = report.model_dump(mode="json")
            version.error = None
    version.evaluated_at = utcnow()
    session.flush()
    _record_evaluated(session, assignment=assignment, submission=submission, version=version)
    return version


def _record_evaluated(
    session: Session,
    *,
    assignment: TakehomeAssignment,
    submission: TakehomeSubmission,
    version: TakehomeVersion,
) -> None:
    """Audit an evaluation and send it as a `takehome.evaluated` event: the summary numbers
    (metrics, the candidate's own tests, reproducibility), never the code or its output."""
    summary: dict[str, object] = {
        "version_id": version.id,
        "version_number": version.number,
        "submission_id": submission.id,
        "assignment_id": assignment.id,
        "candidate_id": submission.candidate_id,
        "state": version.state.value,
        "error_code": version.error.partition(":")[0] if version.error else None,
    }
    if version.report is not None:
        report = EvaluationReport.model_validate(version.report)
        scores = report.run.scores
        summary |= {
            "assignment": report.assignment,
            "k": report.k,
            "run_status": str(report.run.status),
            "metrics": scores.all.values if scores is not None else None,
            "tests": report.tests.model_dump(exclude={"detail"}) if report.tests else None,
            "reproducible": (
                report.reproducibility.same_output if report.reproducibility else None
            ),
        }
    audit.record(
        session,
        actor_id=None,
        organization_id=assignment.organization_id,
        action="takehome.evaluated",
        entity_type="takehome_version",
        entity_id=version.id,
        details=summary,
    )
    webhooks.emit(
        session,
        organization_id=assignment.organization_id,
        event_type=webhooks.TAKEHOME_EVALUATED,
        data=summary,
    )


def invite(
    session: Session,
    *,
    assignment: TakehomeAssignment,
    candidate_id: int,
    application_id: int | None,
    assigned_by_id: int | None,
) -> TakehomeInvitation:
    """Assign the take-home to a candidate, once (assigning again returns the same row)."""
    existing = session.scalar(
        select(TakehomeInvitation).where(
            TakehomeInvitation.assignment_id == assignment.id,
            TakehomeInvitation.candidate_id == candidate_id,
        )
    )
    if existing is not None:
        return existing
    row = TakehomeInvitation(
        assignment_id=assignment.id,
        candidate_id=candidate_id,
        application_id=application_id,
        assigned_by_id=assigned_by_id,
    )
    session.add(row)
    session.flush()
    return row


def submission_of(
    session: Session, *, assignment_id: int, candidate_id: int
) -> TakehomeSubmission | None:
    """The candidate's started submission of the assignment, if any."""
    return session.scalar(
        select(TakehomeSubmission).where(
            TakehomeSubmission.assignment_id == assignment_id,
            TakehomeSubmission.candidate_id == candidate_id,
        )
    )


def versions_of(session: Session, *, submission_id: int) -> list[TakehomeVersion]:
    """A submission's versions, oldest first."""
    return list(
        session.scalars(
            select(TakehomeVersion)
            .where(TakehomeVersion.submission_id == submission_id)
            .order_by(TakehomeVersion.number)
        )
    )


def candidate_package(assignment: TakehomeAssignment) -> bytes:
    """What the candidate downloads: brief.md, takehome's public/ folder, as a .zip.

    Only the brief and files under public/ are copied out of the stored folder; hidden/,
    baselines/, solutions/ and takehome.toml never leave the server.
    """
    spec = AssignmentSpec.model_validate(assignment.spec)
    buf = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(assignment.archive), mode="r:gz") as tar,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            name = member.name.removeprefix("./")
            if not member.isfile():
                continue
            if name != spec.brief and not name.startswith("public/"):
                continue
            data = tar.extractfile(member)
            if data is not None:
                out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data.read())
    return buf.getvalue()


def brief_text(assignment: TakehomeAssignment) -> str:
    """The assignment's brief (Markdown), read from the stored folder."""
    spec = AssignmentSpec.model_validate(assignment.spec)
    with tarfile.open(fileobj=io.BytesIO(assignment.archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.removeprefix("./") == spec.brief:
                data = tar.extractfile(member)
                if data is not None:
                    return data.read().decode("utf-8", errors="replace")
    return ""


MAX_VIEW_FILE_BYTES = 256 * 1024
MAX_VIEW_FILES = 2000
# Folders the code view leaves out, as the sandbox copy does.
SKIPPED_PARTS = {".git", "__pycache__", ".venv", "venv", "node_modules"}


def version_files(version: TakehomeVersion) -> dict[str, str | None]:
    """The version's files by relative path: text, or None for binary or oversized files.

    Unpacked with the same checks as the evaluation (zip-slip, links, bombs, size limits).
    """
    suffix = {"zip": ".zip", "tar.gz": ".tar.gz", "bundle": ".bundle"}[version.kind]
    files: dict[str, str | None] = {}
    with tempfile.TemporaryDirectory(prefix="hiresight-view-") as tmp:
        upload = Path(tmp) / f"submission{suffix}"
        upload.write_bytes(version.content)
        if version.kind == "bundle":
            root = clone_bundle(upload, Path(tmp) / "repo")
        else:
            root = extract_archive(upload, Path(tmp) / "tree", SUBMISSION_LIMITS)
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.is_symlink() or not path.is_file() or SKIPPED_PARTS & set(rel.parts):
                continue
            if len(files) >= MAX_VIEW_FILES:
                break
            raw = path.read_bytes()
            text: str | None
            try:
                text = raw.decode("utf-8") if len(raw) <= MAX_VIEW_FILE_BYTES else None
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" in text:
                text = None
            files[rel.as_posix()] = text
    return files


def diff_versions(
    old: TakehomeVersion, new: TakehomeVersion, *, context: int = 3
) -> list[dict[str, str]]:
    """Per changed file: its path, how it changed, and a unified diff (text files)."""
    before, after = version_files(old), version_files(new)
    out: list[dict[str, str]] = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if path in before and path in after and a == b:
            continue
        change = "added" if path not in before else "removed" if path not in after else "changed"
        if (path in before and a is None) or (path in after and b is None):
            diff = "(binary or large file)\n"
        else:
            diff = "".join(
                difflib.unified_diff(
                    (a or "").splitlines(keepends=True),
                    (b or "").splitlines(keepends=True),
                    fromfile=f"v{old.number}/{path}",
                    tofile=f"v{new.number}/{path}",
                    n=context,
                )
            )
        out.append({"path": path, "change": change, "diff": diff})
    return out


def submissions_of(session: Session, *, assignment_id: int) -> list[TakehomeSubmission]:
    """Every started submission of an assignment, oldest first."""
    return list(
        session.scalars(
            select(TakehomeSubmission)
            .where(TakehomeSubmission.assignment_id == assignment_id)
            .order_by(TakehomeSubmission.id)
        )
    )
