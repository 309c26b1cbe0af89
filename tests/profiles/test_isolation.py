"""Parsing in worker processes: the same answers as in-process, and each limit enforced.

A job past its CPU time, memory or wall-clock limit answers `resume_too_complex`, its worker is
replaced, and the next parse works as usual.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest

from hiresight.portfolio.errors import PortfolioTooComplexError
from hiresight.profiles import isolation
from hiresight.profiles.errors import ResumeEmptyError, ResumeTooComplexError
from hiresight.profiles.isolation import ParseLimits
from hiresight.profiles.parser import parse_resume
from tests.portfolio.factories import make_model_repo
from tests.profiles.factories import SAMPLE_TXT, cpu_heavy_pdf

TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def dense_pdf() -> bytes:
    """Seconds of CPU, inside every structural limit."""
    return cpu_heavy_pdf()


def _still_works() -> None:
    parsed = isolation.parse_resume(SAMPLE_TXT.encode(), "zoe.txt", today=TODAY)
    assert parsed.contact.email == "zoe.celik@example.com"


def test_an_isolated_parse_equals_the_in_process_one() -> None:
    """The worker's answer is the same profile `parse_resume` gives in the web process."""
    here = parse_resume(SAMPLE_TXT.encode(), "zoe.txt", today=TODAY)
    there = isolation.parse_resume(SAMPLE_TXT.encode(), "zoe.txt", today=TODAY)
    assert there.model_dump() == here.model_dump()


def test_an_error_in_the_worker_keeps_its_class_and_code() -> None:
    """An empty file is still `resume_empty` (422), raised as `ResumeEmptyError`."""
    with pytest.raises(ResumeEmptyError) as info:
        isolation.parse_resume(b"", "cv.txt")
    assert info.value.code == "resume_empty"


def test_cpu_time_past_the_limit_is_too_complex(dense_pdf: bytes) -> None:
    """A parse needing more CPU than `cpu_seconds` is ended by RLIMIT_CPU."""
    with pytest.raises(ResumeTooComplexError):
        isolation.parse_resume(dense_pdf, "cv.pdf", limits=ParseLimits(cpu_seconds=1))
    _still_works()


def test_wall_clock_past_the_limit_is_too_complex(dense_pdf: bytes) -> None:
    """The caller stops waiting after `timeout_seconds` and kills the worker."""
    _still_works()  # a warm worker, so the time below is the job's own
    started = time.perf_counter()
    with pytest.raises(ResumeTooComplexError):
        isolation.parse_resume(dense_pdf, "cv.pdf", limits=ParseLimits(timeout_seconds=0.3))
    assert time.perf_counter() - started < 3
    _still_works()


def test_memory_past_the_limit_is_too_complex(dense_pdf: bytes) -> None:
    """An allocation past the worker's idle size plus `memory_mb` fails the job, not the server."""
    with pytest.raises(ResumeTooComplexError):
        isolation.parse_resume(dense_pdf, "cv.pdf", limits=ParseLimits(memory_mb=1))
    _still_works()


def test_a_portfolio_review_past_a_limit_is_portfolio_too_complex(tmp_path: Path) -> None:
    """Archive reviews run in the same workers: past the wall clock, `portfolio_too_complex`."""
    archive = shutil.make_archive(
        str(tmp_path / "repo"), "zip", make_model_repo(tmp_path / "r", with_git=False)
    )
    data = Path(archive).read_bytes()
    report = isolation.review_archive(data, max_archive_bytes=len(data))
    assert report.total_files > 0
    with pytest.raises(PortfolioTooComplexError) as info:
        isolation.review_archive(
            data, max_archive_bytes=len(data), limits=ParseLimits(timeout_seconds=0.001)
        )
    assert info.value.code == "portfolio_too_complex"
