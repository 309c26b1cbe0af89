"""Background e-mail notifications: a small pool of asyncio workers draining a queue."""

import asyncio
from dataclasses import dataclass
from string import Template
from typing import Protocol

TEMPLATES = {
    "interview_invite": Template("Hi $name, your interview for $role is ready: $link"),
    "scorecard_ready": Template("Hi $name, the scorecard for $candidate is ready."),
}


@dataclass(frozen=True)
class Notification:
    id: str
    recipient: str
    template: str
    context: dict[str, str]


class Mailer(Protocol):
    def send(self, recipient: str, body: str) -> None:
        """Deliver one message over SMTP; blocks until the server answers."""


class NotificationDispatcher:
    def __init__(self, mailer: Mailer, concurrency: int = 4) -> None:
        self.mailer = mailer
        self.concurrency = concurrency
        self.queue: asyncio.Queue[Notification] = asyncio.Queue()
        self.delivered: list[str] = []
        self.failed: dict[str, str] = {}
        self._workers: list[asyncio.Task[None]] = []

    def start(self) -> None:
        for n in range(self.concurrency):
            self._workers.append(asyncio.create_task(self._work(), name=f"notify-worker-{n}"))

    async def submit(self, notification: Notification) -> None:
        await self.queue.put(notification)

    async def drain(self) -> None:
        await self.queue.join()

    async def stop(self) -> None:
        """Finish queued work, then shut the workers down."""
        await self.drain()
        self._workers.clear()

    async def _work(self) -> None:
        while True:
            notification = await self.queue.get()
            await self._deliver(notification)
            self.delivered.append(notification.id)
            self.queue.task_done()

    async def _deliver(self, notification: Notification) -> None:
        template = TEMPLATES[notification.template]
        body = template.substitute(notification.context)
        self.mailer.send(notification.recipient, body)
