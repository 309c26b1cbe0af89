"""Example test the candidate may run."""

import asyncio
import sqlite3

from asyncdb import AsyncDB
from jobqueue import SCHEMA, JobQueue, Worker


def test_enqueued_job_is_processed_and_marked_done():
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    queue = JobQueue(AsyncDB(conn))
    seen = []

    async def reindex(payload):
        seen.append(payload["candidate"])
        return "ok"

    async def scenario():
        await queue.enqueue("reindex", {"candidate": "c-1"}, "reindex-c-1")
        await Worker(queue, {"reindex": reindex}, "w1").run_until_idle()

    asyncio.run(scenario())
    assert seen == ["c-1"]
    assert conn.execute("SELECT status FROM jobs").fetchone() == ("done",)
