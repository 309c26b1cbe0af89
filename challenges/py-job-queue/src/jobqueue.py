"""A small durable job queue on top of SQL, with competing asyncio workers."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asyncdb import AsyncDB

SCHEMA = """
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending',
    worker TEXT,
    result TEXT,
    error TEXT
);
"""

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


@dataclass
class Job:
    id: int
    kind: str
    payload: dict[str, Any]


class JobQueue:
    def __init__(self, db: AsyncDB) -> None:
        self.db = db

    async def enqueue(self, kind: str, payload: dict[str, Any], dedupe_key: str) -> int:
        """Add a job; enqueueing the same dedupe_key again returns the existing job."""
        cursor = await self.db.execute(
            "INSERT OR REPLACE INTO jobs (kind, payload, dedupe_key) VALUES (?, ?, ?)",
            (kind, json.dumps(payload), dedupe_key),
        )
        return int(cursor.lastrowid or 0)

    async def claim(self, worker: str) -> Job | None:
        """Take the oldest pending job for this worker."""
        row = await self.db.fetchone(
            "SELECT id, kind, payload FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1"
        )
        if row is None:
            return None
        await self.db.execute(
            "UPDATE jobs SET status = 'running', worker = ? WHERE id = ?", (worker, row[0])
        )
        return Job(row[0], row[1], json.loads(row[2]))

    async def finish(
        self, job_id: int, status: str, result: Any = None, error: str | None = None
    ) -> None:
        await self.db.execute(
            "UPDATE jobs SET status = ?, result = ?, error = ? WHERE id = ?",
            (status, json.dumps(result), error, job_id),
        )


class Worker:
    def __init__(self, queue: JobQueue, handlers: dict[str, Handler], name: str) -> None:
        self.queue = queue
        self.handlers = handlers
        self.name = name

    async def run_once(self) -> bool:
        """Process one job; return False when the queue is empty."""
        job = await self.queue.claim(self.name)
        if job is None:
            return False
        handler = self.handlers[job.kind]
        result = await handler(job.payload)
        await self.queue.finish(job.id, "done", result=result)
        return True

    async def run_until_idle(self) -> int:
        processed = 0
        while await self.run_once():
            processed += 1
        return processed
