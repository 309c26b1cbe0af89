"""Locust users for benchmarks/load_autosave.py: candidates autosaving, reviewers submitting.

Run by load_autosave.py, which prepares the candidates and reads the results; by hand:
`LOAD_PLAN=plan.json locust -f benchmarks/locustfile_autosave.py --headless -u 100 -r 50
-t 60s --host http://127.0.0.1:8000`. The plan (JSON) lists candidates with a token and an
active attempt, and reviewers with a token; the results (JSON) are written when the run stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, LoadTestShape, between, constant, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
RESULTS = Path(os.environ.get("LOAD_RESULTS", "load_results.json"))
SAVE_EVERY_S = 1.5
_candidates = itertools.count()
_reviewers = itertools.count()
# Per request kind: latencies in ms, status counts; per attempt: the last acknowledged revision.
latencies: dict[str, list[float]] = {"autosave": [], "healthz": [], "submit": []}
statuses: dict[str, dict[str, int]] = {k: {} for k in latencies}
acknowledged: dict[int, int] = {}
graded_s: list[float] = []
ungraded = 0
# Every autosave as (seconds since the first request, status, ms): where in the run the slow
# ones and the 503s fall (the ramp, a grading, or throughout).
timeline: list[tuple[float, int, float]] = []
_t0: list[float] = []
WORDS = ["the", "service", "retries", "request", "with", "backoff", "when", "queue", "is", "full"]


def _note(kind: str, status: int, ms: float) -> None:
    if not _t0:
        _t0.append(time.perf_counter() - ms / 1000)
        _t0.append(time.time() - ms / 1000)
    if kind == "autosave":
        timeline.append((round(time.perf_counter() - ms / 1000 - _t0[0], 3), status, ms))
    latencies[kind].append(ms)
    statuses[kind][str(status)] = statuses[kind].get(str(status), 0) + 1


def _text(n: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(n))


class Candidate(FastHttpUser):
    """Types into the room: a 1-2 KB draft saved every 1.5 s, a 503 retried after Retry-After."""

    weight = 100
    # A pause of 1.5 s after each answer, from a random first moment. Locust's constant_pacing
    # (a fixed 1.5 s timer, like the room's setInterval) was tried: its users fired in bursts of
    # about 80 saves within 100 ms every 0.5 s on an idle machine, which independent browsers
    # do not do, and the bursts, not the server, set the latency (p50 80 ms against 11 ms).
    wait_time = constant(SAVE_EVERY_S)

    def on_start(self) -> None:
        me = PLAN["candidates"][next(_candidates) % len(PLAN["candidates"])]
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        self.attempt = me["attempt"]
        self.revision = 0
        self.answer = _text(random.randint(170, 330))  # 1-2 KB as JSON
        time.sleep(random.random() * SAVE_EVERY_S)  # spread the first saves

    @task
    def autosave(self) -> None:
        self.answer = self.answer[20:] + " " + _text(3)
        revision = self.revision + 1
        body = {"revision": revision, "draft": {"answers": {"b1": self.answer}}}
        started = time.perf_counter()
        with self.client.put(
            f"/api/v1/attempts/{self.attempt}/draft",
            json=body,
            headers=self.headers,
            name="autosave",
            catch_response=True,
        ) as r:
            ms = (time.perf_counter() - started) * 1000
            _note("autosave", r.status_code, ms)
            if r.status_code == 200:
                self.revision = revision
                acknowledged[self.attempt] = revision
                r.success()
            elif r.status_code == 503:
                # As the room does: keep the draft and its revision, wait as told.
                r.success()
                gevent.sleep(float(r.headers.get("Retry-After") or 2))
            else:
                r.failure(f"{r.status_code}: {r.text[:200]}")


class Reviewer(FastHttpUser):
    """Submits a code review now and then and waits for its grade."""

    fixed_count = int(os.environ.get("LOAD_REVIEWERS", "0"))
    wait_time = between(8, 12)

    def on_start(self) -> None:
        self.pool = PLAN["reviewers"]

    @task
    def review(self) -> None:
        global ungraded
        n = next(_reviewers)
        if n >= len(self.pool):
            return
        headers = {"Authorization": f"Bearer {self.pool[n]['token']}"}
        r = self.client.post("/api/v1/interviews", json={"stages": ["code_review"]},
                             headers=headers, name="start")  # fmt: skip
        if r.status_code != 201:
            return
        r = self.client.post(
            f"/api/v1/interviews/{r.json()['id']}/stages/code_review/start",
            headers=headers,
            name="start",
        )
        if r.status_code != 200:
            return
        attempt = r.json()["id"]
        body = {"draft": {"flags": [], "explanation": _text(40), "files": {}}}
        started = time.perf_counter()
        r = self.client.post(f"/api/v1/attempts/{attempt}/submit", json=body, headers=headers,
                             name="submit")  # fmt: skip
        _note("submit", r.status_code, (time.perf_counter() - started) * 1000)
        deadline = started + 60
        while time.perf_counter() < deadline:
            got = self.client.get(f"/api/v1/attempts/{attempt}", headers=headers, name="poll")
            if got.status_code == 200 and got.json().get("feedback") is not None:
                graded_s.append(time.perf_counter() - started)
                return
            gevent.sleep(0.1)
        ungraded += 1


class Health(FastHttpUser):
    """The baseline in the same run: /healthz, which touches no database, twice a second."""

    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def healthz(self) -> None:
        started = time.perf_counter()
        r = self.client.get("/healthz", name="healthz")
        _note("healthz", r.status_code, (time.perf_counter() - started) * 1000)


class Shape(LoadTestShape):
    """All users within `LOAD_RAMP_S`, then a steady `LOAD_SECONDS`; the run stops itself."""

    users = int(os.environ.get("LOAD_USERS", "100"))
    ramp = float(os.environ.get("LOAD_RAMP_S", "5"))
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))

    def tick(self) -> tuple[int, float] | None:
        if self.get_run_time() > self.ramp + self.seconds:
            return None
        return self.users, max(1.0, self.users / self.ramp)


@events.test_stop.add_listener
def _write_results(**_: Any) -> None:
    RESULTS.write_text(
        json.dumps({
            "latencies": latencies, "statuses": statuses, "acknowledged": acknowledged,
            "graded_s": graded_s, "ungraded": ungraded, "timeline": timeline,
            "t0_epoch": _t0[1] if _t0 else None,
        })
    )  # fmt: skip
