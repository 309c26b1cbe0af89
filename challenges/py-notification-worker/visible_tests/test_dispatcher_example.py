"""Example tests the candidate may run."""

import asyncio
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
