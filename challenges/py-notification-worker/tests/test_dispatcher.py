"""Hidden tests for the notification dispatcher."""

import asyncio
import contextlib
import threading

from dispatcher import Notification, NotificationDispatcher


class RecordingMailer:
    def __init__(self, barrier=None):
        self.sent = []
        self.on_loop_thread = []
        self.barrier = barrier

    def send(self, recipient, body):
        self.on_loop_thread.append(threading.current_thread() is threading.main_thread())
        if self.barrier is not None:
            self.barrier.wait()
        self.sent.append((recipient, body))


def invite(n, **context):
    context = {"name": f"user{n}", "role": "Backend", "link": f"https://x.test/{n}", **context}
    return Notification(f"n{n}", f"user{n}@example.com", "interview_invite", context)


def broken(n):
    return Notification(f"n{n}", f"user{n}@example.com", "interview_invite", {"name": "x"})


async def run(dispatcher, notifications, timeout=1.0):
    dispatcher.start()
    for notification in notifications:
        await dispatcher.submit(notification)
    await asyncio.wait_for(dispatcher.drain(), timeout)


def test_notifications_are_rendered_and_sent():
    mailer = RecordingMailer()
    dispatcher = NotificationDispatcher(mailer, concurrency=2)
    asyncio.run(run(dispatcher, [invite(1), invite(2)]))
    assert sorted(dispatcher.delivered) == ["n1", "n2"]
    assert (
        "user1@example.com",
        "Hi user1, your interview for Backend is ready: https://x.test/1",
    ) in mailer.sent


def test_failing_notification_does_not_stall_queue():
    mailer = RecordingMailer()
    dispatcher = NotificationDispatcher(mailer, concurrency=1)
    batch = [invite(1), broken(2), invite(3), broken(4), invite(5)]
    try:
        asyncio.run(run(dispatcher, batch, timeout=0.5))
    except TimeoutError:
        raise AssertionError("drain() did not finish after a failing notification") from None
    assert dispatcher.delivered == ["n1", "n3", "n5"]


def test_failure_is_recorded():
    dispatcher = NotificationDispatcher(RecordingMailer(), concurrency=2)
    with contextlib.suppress(TimeoutError):
        asyncio.run(run(dispatcher, [broken(7)], timeout=0.5))
    assert list(dispatcher.failed) == ["n7"]
    assert dispatcher.delivered == []


def test_smtp_runs_off_the_event_loop():
    mailer = RecordingMailer()
    dispatcher = NotificationDispatcher(mailer, concurrency=2)
    asyncio.run(run(dispatcher, [invite(1), invite(2), invite(3)]))
    assert len(mailer.on_loop_thread) == 3
    assert not any(mailer.on_loop_thread)


def test_workers_send_concurrently():
    # Each send waits until three sends are in flight at once; that only
    # happens if the sends really run in parallel.
    mailer = RecordingMailer(barrier=threading.Barrier(3, timeout=0.3))
    dispatcher = NotificationDispatcher(mailer, concurrency=3)
    with contextlib.suppress(TimeoutError, threading.BrokenBarrierError):
        asyncio.run(run(dispatcher, [invite(1), invite(2), invite(3)], timeout=0.8))
    assert len(mailer.sent) == 3


def test_stop_leaves_no_worker_tasks():
    async def scenario():
        dispatcher = NotificationDispatcher(RecordingMailer(), concurrency=3)
        await run(dispatcher, [invite(1)])
        await asyncio.wait_for(dispatcher.stop(), 1.0)
        return [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]

    assert asyncio.run(scenario()) == []


def test_restart_does_not_accumulate_workers():
    async def scenario():
        dispatcher = NotificationDispatcher(RecordingMailer(), concurrency=2)
        for _ in range(3):
            await run(dispatcher, [invite(1)])
            await asyncio.wait_for(dispatcher.stop(), 1.0)
        dispatcher.start()
        alive = [t for t in asyncio.all_tasks() if t.get_name().startswith("notify-worker")]
        await dispatcher.stop()
        return len(alive)

    assert asyncio.run(scenario()) == 2
