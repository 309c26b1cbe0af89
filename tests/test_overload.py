"""The in-flight cap's queue: slots are handed over in arrival order, never lost or doubled."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Receive, Scope, Send

from hiresight.overload import InFlightLimit


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("not called")


def _run(scenario: Coroutine[Any, Any, list[Any]]) -> list[Any]:
    """Run a scenario on a fresh event loop in a thread of its own: a test that ran before in
    this process may have left an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario).result()


def _limit(limit: int, queue: int, wait: float = 30.0) -> InFlightLimit:
    return InFlightLimit(_app, limit=limit, retry_after=2, queue=queue, queue_wait=wait)


def test_a_freed_slot_goes_to_the_longest_waiter_and_a_cancelled_one_is_skipped() -> None:
    """Three requests wait behind a full cap; the first goes away (the client disconnected):
    the freed slot goes to the second, then the third; the count ends at zero."""

    async def scenario() -> list[object]:
        guard = _limit(limit=1, queue=3)
        assert await guard._acquire()
        waiters = [asyncio.create_task(guard._acquire()) for _ in range(3)]
        await asyncio.sleep(0)
        seen: list[object] = [guard.queued]
        waiters[0].cancel()
        await asyncio.sleep(0)
        guard._release()
        seen.append(await waiters[1])
        seen += [waiters[2].done(), guard.in_flight, guard.queued]
        guard._release()
        seen.append(await waiters[2])
        guard._release()
        seen += [guard.in_flight, guard.queued]
        return seen

    assert _run(scenario()) == [3, True, False, 1, 1, True, 0, 0]


def test_a_full_queue_or_no_queue_refuses_at_once_and_a_long_wait_refuses_then() -> None:
    """With the queue full (or none configured) the answer is no without waiting; a waiter whose
    time is up is refused and leaves the queue, and a later release frees the slot."""

    async def scenario() -> list[object]:
        seen: list[object] = []
        for guard in (_limit(limit=1, queue=0), _limit(limit=1, queue=5, wait=0.0)):
            assert await guard._acquire()
            seen.append(await guard._acquire())
        guard = _limit(limit=1, queue=1, wait=0.05)
        assert await guard._acquire()
        waiting = asyncio.create_task(guard._acquire())
        await asyncio.sleep(0)
        seen.append(await guard._acquire())  # the queue is full
        seen += [await waiting, guard.queued]
        guard._release()
        seen.append(guard.in_flight)
        return seen

    assert _run(scenario()) == [False, False, False, False, 0, 0]


def test_a_new_request_does_not_overtake_the_queue() -> None:
    """While requests wait, a newcomer queues behind them even at the moment a slot is free."""

    async def scenario() -> list[object]:
        guard = _limit(limit=1, queue=2)
        assert await guard._acquire()
        first = asyncio.create_task(guard._acquire())
        await asyncio.sleep(0)
        guard._release()  # handed to `first`, which has not run yet
        second = asyncio.create_task(guard._acquire())
        await asyncio.sleep(0)
        return [await first, second.done(), guard.in_flight, guard.queued]

    assert _run(scenario()) == [True, False, 1, 1]
