"""Async facade over sqlite3 used by the job queue (each call yields like a network round-trip)."""

import asyncio
import sqlite3
from typing import Any


class AsyncDB:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        await asyncio.sleep(0)
        cursor = self.conn.execute(sql, params)
        self.conn.commit()
        return cursor

    async def fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        await asyncio.sleep(0)
        row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        return row
