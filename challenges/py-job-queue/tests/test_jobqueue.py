"""Hidden tests for the job queue."""

import asyncio
import contextlib
import sqlite3

from asyncdb import AsyncDB
from jobqueue import SCHEMA, JobQueue, Worker


def make_queue():
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    return conn, JobQueue(AsyncDB(conn))


class Recorder:
    def __init__(self):
        self.calls = []

    async def charge(self, payload):
        self.calls.append(payload["invoice"])
        await asyncio.sleep(0)
        return {"charged": payload["amount"]}

    async def explode(self, payload):
        raise RuntimeError(f"card declined for {payload['invoice']}")


def statuses(conn):
    return dict(conn.execute("SELECT dedupe_key, status FROM jobs").fetchall())


def workers(queue, recorder, count):
    handlers = {"charge": recorder.charge, "explode": recorder.explode}
    return [Worker(queue, handlers, f"w{n}") for n in range(count)]


def test_single_worker_processes_jobs_in_order():
    conn, queue = make_queue()
    recorder = Recorder()

    async def scenario():
        for n in range(3):
            await queue.enqueue("charge", {"invoice": n, "amount": 10}, f"inv-{n}")
        return await workers(queue, recorder, 1)[0].run_until_idle()

    assert asyncio.run(scenario()) == 3
    assert recorder.calls == [0, 1, 2]
    assert set(statuses(conn).values()) == {"done"}


def test_enqueue_is_idempotent_per_key():
    conn, queue = make_queue()

    async def scenario():
        first = await queue.enqueue("charge", {"invoice": 1, "amount": 5}, "inv-1")
        second = await queue.enqueue("charge", {"invoice": 1, "amount": 5}, "inv-1")
        return first, second

    first, second = asyncio.run(scenario())
    assert first == second
    assert conn.execute("SELECT COUNT(*) FROM jobs").fetchone() == (1,)


def test_finished_job_is_not_rerun_after_duplicate_enqueue():
    conn, queue = make_queue()
    recorder = Recorder()

    async def scenario():
        (worker,) = workers(queue, recorder, 1)
        await queue.enqueue("charge", {"invoice": 7, "amount": 99}, "inv-7")
        await worker.run_until_idle()
        await queue.enqueue("charge", {"invoice": 7, "amount": 99}, "inv-7")
        await worker.run_until_idle()

    asyncio.run(scenario())
    assert recorder.calls == [7]
    assert statuses(conn) == {"inv-7": "done"}


def test_two_workers_never_run_the_same_job():
    _, queue = make_queue()
    recorder = Recorder()

    async def scenario():
        await queue.enqueue("charge", {"invoice": 1, "amount": 5}, "inv-1")
        return await asyncio.gather(*(w.run_once() for w in workers(queue, recorder, 2)))

    results = asyncio.run(scenario())
    assert recorder.calls == [1]
    assert sorted(results) == [False, True]


def test_competing_workers_share_jobs_exactly_once():
    _, queue = make_queue()
    recorder = Recorder()

    async def scenario():
        for n in range(6):
            await queue.enqueue("charge", {"invoice": n, "amount": 1}, f"inv-{n}")
        counts = await asyncio.gather(*(w.run_until_idle() for w in workers(queue, recorder, 3)))
        return sum(counts)

    assert asyncio.run(scenario()) == 6
    assert sorted(recorder.calls) == [0, 1, 2, 3, 4, 5]


def test_failing_handler_marks_job_failed():
    conn, queue = make_queue()

    async def scenario():
        await queue.enqueue("explode", {"invoice": 3}, "inv-3")
        await workers(queue, Recorder(), 1)[0].run_once()

    # The buggy worker lets the handler's error escape; the job state is what matters.
    with contextlib.suppress(RuntimeError):
        asyncio.run(scenario())
    row = conn.execute("SELECT status, error FROM jobs WHERE dedupe_key = 'inv-3'").fetchone()
    assert row[0] == "failed"
    assert "card declined for 3" in row[1]


def test_worker_continues_after_failure():
    conn, queue = make_queue()
    recorder = Recorder()

    async def scenario():
        await queue.enqueue("charge", {"invoice": 1, "amount": 5}, "inv-1")
        await queue.enqueue("explode", {"invoice": 2}, "inv-2")
        await queue.enqueue("charge", {"invoice": 3, "amount": 5}, "inv-3")
        return await workers(queue, recorder, 1)[0].run_until_idle()

    assert asyncio.run(scenario()) == 3
    assert recorder.calls == [1, 3]
    assert statuses(conn) == {"inv-1": "done", "inv-2": "failed", "inv-3": "done"}
