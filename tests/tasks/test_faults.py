"""Crash tests: real processes killed with SIGKILL lose no graded work and grade nothing twice.

Each test submits the reference fix of a bank challenge, kills a `hiresight serve` or
`hiresight worker` process at the worst moment, starts the service again and requires one grade
and one set of scores within 60 s of the restart (printed as `restart -> graded+scored`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy.engine import Engine

from hiresight import migrate
from hiresight.db import create_db_engine, make_session_factory
from hiresight.interviews import grading, scoring, service, sessions
from hiresight.interviews.models import StageAttempt
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from tests.conftest import REDIS_ENV, postgres_schema, service_url
from tests.factories import bearer, make_user
from tests.tasks import processes
from tests.tasks.helpers import fixed_answer, graded_and_scored_once, outcome, start_code_review

pytestmark = pytest.mark.slow
RECOVERY_BUDGET_S = 60.0


@dataclass
class World:
    """A migrated SQLite database of the test's own with one active code-review attempt."""

    tmp: Path
    url: str
    engine: Engine
    attempt_id: int
    headers: dict[str, str]

    def env(self, **settings: str) -> dict[str, str]:
        """A child's environment on this database."""
        return processes.environment(self.tmp, self.url, **settings)

    def done(self) -> bool:
        """Graded and scored exactly once, all work done."""
        return graded_and_scored_once(self.engine, self.attempt_id)

    def work(self) -> dict[str, tuple[str, int]]:
        """The attempt's work rows: kind -> (state, tries)."""
        return outcome(self.engine, self.attempt_id)["work"]

    def submit_here(self) -> None:
        """Submit in this process (its task backend sends the wake-up)."""
        sessions.register_final_hook(grading.after_final)
        sessions.register_final_hook(scoring.after_final)
        with make_session_factory(self.engine)() as session:
            attempt = session.get(StageAttempt, self.attempt_id)
            assert attempt is not None
            service.submit(session, attempt=attempt, answer=fixed_answer())
            session.commit()


@pytest.fixture(params=["sqlite"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The test's database (a SQLite file, or a fresh PostgreSQL schema), arranged here."""
    with contextlib.ExitStack() as stack:
        if request.param == "postgres":
            url = stack.enter_context(postgres_schema("hs_fault"))
        else:
            url = f"sqlite:///{tmp_path / 'fault.db'}"
        yield from _arranged(tmp_path, url)


def _arranged(tmp_path: Path, url: str) -> Iterator[World]:
    migrate.upgrade(url)
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        candidate = make_user(session)
        attempt = start_code_review(session, candidate)
        headers = bearer(session, candidate)
        session.commit()
        yield World(tmp_path, url, engine, attempt.id, headers)
    engine.dispose()


@pytest.fixture
def queue(world: World) -> Iterator[tuple[str, str]]:
    """Redis (db 15) and a Dramatiq namespace of this test's own; the test's process sends
    through it. The namespace's keys are deleted afterwards."""
    url = service_url(REDIS_ENV)
    if not url:
        pytest.skip(f"needs {REDIS_ENV} or a local Redis")
    namespace = f"hs-fault-{uuid.uuid4().hex[:12]}"
    previous = tasks.current()
    tasks._backend = tasks.DramatiqBackend(url, namespace=namespace)
    yield url, namespace
    tasks._backend.shutdown()
    tasks._backend = previous
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{namespace}*"):
        client.delete(key)
    client.close()


def _job_dirs(pid: int) -> list[Path]:
    return list(DEFAULT_BASE_DIR.glob(f"job-{pid}-*")) if DEFAULT_BASE_DIR.is_dir() else []


def _recovered(world: World, restarted: processes.Child, label: str) -> float:
    """Wait for one grade and one set of scores; print and return the seconds since restart."""
    processes.wait_for(world.done, RECOVERY_BUDGET_S + 30, restarted, "graded and scored")
    seconds = time.monotonic() - restarted.started
    print(f"\n{label}: restart -> graded+scored in {seconds:.1f} s; work {world.work()}")
    assert seconds <= RECOVERY_BUDGET_S
    return seconds


def test_web_process_killed_right_after_submit_inline(world: World) -> None:
    """Inline backend: the server dies right after answering 202; a restarted server grades and
    scores the attempt once (before, it stayed `submitted` forever)."""
    with processes.reaped([]) as children:
        web, base = processes.serve(world.tmp, world.env(task_backend="inline"), "web1")
        children.append(web)
        url = f"{base}/api/v1/attempts/{world.attempt_id}/submit"
        r = httpx.post(url, headers=world.headers, json={"draft": fixed_answer()}, timeout=30)
        web.kill()
        assert r.status_code == 202, r.text
        assert r.json()["queued"] == ["grade"]
        print(f"\nat the kill: {world.work()}")
        restarted, _ = processes.serve(world.tmp, world.env(task_backend="inline"), "web2")
        children.append(restarted)
        _recovered(world, restarted, "web killed after submit (inline)")


@pytest.mark.redis
@pytest.mark.parametrize(
    "world", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_worker_killed_mid_grade_dramatiq(world: World, queue: tuple[str, str]) -> None:
    """Dramatiq: the worker dies inside the sandbox run; once its lease expires a new worker
    grades the attempt once (before, Dramatiq re-queued it ~19 minutes later), and the new
    worker removes the dead one's sandbox folder."""
    redis_url, namespace = queue
    env = world.env(task_backend="dramatiq", redis_url=redis_url, task_namespace=namespace)
    with processes.reaped([]) as children:
        first = processes.worker(world.tmp, env, "worker1")
        children.append(first)
        processes.wait_for(lambda: (world.tmp / "worker1.ready").exists(), 180, first, "warm-up")
        world.submit_here()

        def kill_inside_the_sandbox() -> bool:
            if not _job_dirs(first.pid):
                return False
            os.kill(first.pid, signal.SIGKILL)  # at once: a run lasts a fraction of a second
            return True

        processes.wait_for(kill_inside_the_sandbox, 60, first, "a sandbox run")
        first.kill()
        left_over = _job_dirs(first.pid)
        print(f"\nat the kill: {world.work()}, left over: {[p.name for p in left_over]}")
        assert world.work()["grade"][0] == "running"
        second = processes.worker(world.tmp, env, "worker2")
        children.append(second)
        _recovered(world, second, "worker killed mid-grade (dramatiq)")
        assert not any(p.exists() for p in left_over)


@pytest.mark.redis
def test_redis_unreachable_at_submit_then_back(world: World, queue: tuple[str, str]) -> None:
    """Redis down at submit: 202 and the work recorded (before: 500, then 409 on retry, never
    graded). With Redis back, a restarted server and a worker grade it once."""
    redis_url, namespace = queue
    closed = f"redis://127.0.0.1:{processes.free_port()}/15"
    with processes.reaped([]) as children:
        env = world.env(task_backend="dramatiq", redis_url=closed, task_namespace=namespace)
        web, base = processes.serve(world.tmp, env, "web-no-redis")
        children.append(web)
        url = f"{base}/api/v1/attempts/{world.attempt_id}/submit"
        r = httpx.post(url, headers=world.headers, json={"draft": fixed_answer()}, timeout=30)
        assert r.status_code == 202, r.text
        assert "work_wake_up_failed" in web.output()
        assert world.work() == {"grade": ("pending", 0)}
        web.kill()
        env = world.env(task_backend="dramatiq", redis_url=redis_url, task_namespace=namespace)
        restarted, _ = processes.serve(world.tmp, env, "web-redis-back")
        children.append(restarted)
        consumer = processes.worker(world.tmp, env, "worker")
        children.append(consumer)
        consumer.started = restarted.started  # the service came back with the web process
        _recovered(world, consumer, "redis unreachable at submit, then back")


@pytest.mark.redis
def test_killed_between_result_and_acknowledgement(world: World, queue: tuple[str, str]) -> None:
    """The worker dies right after committing the grade, before Dramatiq's acknowledgement and
    before the scoring wake-up: the scoring recorded with the grade still runs, once."""
    redis_url, namespace = queue
    env = world.env(task_backend="dramatiq", redis_url=redis_url, task_namespace=namespace)
    with processes.reaped([]) as children:
        doomed = processes.worker(
            world.tmp, {**env, outbox.FAULT_KILL_AFTER_COMMIT_ENV: "grade"}, "worker1"
        )
        children.append(doomed)
        world.submit_here()
        processes.wait_for(lambda: doomed.proc.poll() is not None, 60, None, "the injected kill")
        assert "fault_injection_kill" in doomed.output()
        assert world.work() == {"grade": ("done", 1), "score": ("pending", 0)}
        assert outcome(world.engine, world.attempt_id)["graded"]
        second = processes.worker(world.tmp, env, "worker2")
        children.append(second)
        _recovered(world, second, "killed between result and acknowledgement")
