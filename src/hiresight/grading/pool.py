"""A bounded pool of grading threads (the work is subprocess-bound, so threads suffice).

When every worker is busy and the queue is full, `submit` refuses at once with
GradingBusyError rather than letting requests pile up behind slow grades.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from hiresight.challenges.models import Challenge
from hiresight.grading.errors import GradingBusyError
from hiresight.grading.grader import grade
from hiresight.grading.report import GradeReport


class GradingPool:
    """`workers` concurrent sandboxes behind a queue of at most `queue_size` waiting grades."""

    def __init__(self, workers: int | None = None, queue_size: int = 16) -> None:
        self.workers = workers or os.cpu_count() or 1
        if queue_size < 0:
            raise ValueError("queue_size must be >= 0")
        self.queue_size = queue_size
        # One slot per running or waiting grade; taken without blocking in submit().
        self._slots = threading.BoundedSemaphore(self.workers + queue_size)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="grader")

    def submit(self, challenge: Challenge, files: Mapping[str, str]) -> Future[GradeReport]:
        """Queue a grade; raise GradingBusyError immediately when the queue is full."""
        if not self._slots.acquire(blocking=False):
            raise GradingBusyError()
        try:
            future = self._executor.submit(grade, challenge, dict(files))
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; with `wait`, finish what is queued first."""
        self._executor.shutdown(wait=wait, cancel_futures=not wait)

    def __enter__(self) -> GradingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
