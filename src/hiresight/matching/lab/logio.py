"""Training inputs from files: an interaction log CSV, job JSONL and optional candidate JSONL.

The JSONL formats (text first, vectors optional) are in hiresight.matching.lab.records. Users
without a candidate record are represented by the jobs they engaged with
(hiresight.matching.lab.users).

Impression lists are rebuilt from the log (see hiresight.matching.lab.evaluate for its format):
impression rows of one user with the same timestamp form one list, in file order (= the
position shown); a job's outcome is the strongest action the user took on it within
`window` seconds after the list was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hiresight.matching.entities import Event, EventKind, Impression
from hiresight.matching.errors import InvalidLogError
from hiresight.matching.lab.evaluate import LogRow, read_log_csv
from hiresight.matching.lab.records import EmbedderFactory, read_candidate_file, read_job_file
from hiresight.matching.lab.users import complete_profiles, engaged_jobs
from hiresight.matching.training import TrainingInputs

# Which action describes a shown job best: any engagement beats a dismiss, which beats
# no action at all.
_STRENGTH = {
    EventKind.IMPRESSION: 0,
    EventKind.DISMISS: 1,
    EventKind.CLICK: 2,
    EventKind.SAVE: 3,
    EventKind.APPLY: 4,
}


def impressions_from_log(
    rows: Sequence[LogRow], window: float = 3600.0
) -> tuple[list[Impression], list[Event]]:
    """Rebuild impression lists and positioned events from a flat log (see module doc)."""
    lists: dict[tuple[int, float], list[int]] = {}
    for r in rows:
        if r.event is EventKind.IMPRESSION:
            lists.setdefault((r.user, r.timestamp), []).append(r.item)
    actions: dict[tuple[int, int], list[LogRow]] = {}
    for r in rows:
        if r.event is not EventKind.IMPRESSION:
            actions.setdefault((r.user, r.item), []).append(r)
    impressions, events = [], []
    for (user, shown_at), items in sorted(lists.items(), key=lambda kv: kv[0][1]):
        outcomes = []
        for pos, item in enumerate(items):
            events.append(Event(user, item, EventKind.IMPRESSION, shown_at, pos))
            best = EventKind.IMPRESSION
            for a in actions.get((user, item), ()):
                in_window = shown_at <= a.timestamp <= shown_at + window
                if in_window and _STRENGTH[a.event] > _STRENGTH[best]:
                    best = a.event
            outcomes.append(best)
        impressions.append(Impression(user, shown_at, tuple(items), tuple(outcomes)))
    # Every action feeds the online features, matched to a list or not.
    events += [
        Event(r.user, r.item, r.event, r.timestamp)
        for r in rows
        if r.event is not EventKind.IMPRESSION
    ]
    return impressions, sorted(events, key=lambda e: e.timestamp)


def load_training_inputs(
    log: Path, candidates: Path | None, jobs: Path, embedder: EmbedderFactory
) -> TrainingInputs:
    """TrainingInputs from the files; users without a record get a history profile.

    A history profile here summarises the user's whole log, so it has seen the jobs the lists
    are labelled with: fine for serving a model, optimistic for judging one (`recs evaluate`
    builds profiles from the training window only).
    """
    impressions, events = impressions_from_log(read_log_csv(log))
    if not impressions:
        raise InvalidLogError(f"{log}: no impression rows, so no lists to learn from")
    postings = read_job_file(jobs, embedder).postings
    given = {} if candidates is None else read_candidate_file(candidates, embedder).profiles
    history = engaged_jobs(events, until=float("inf"))
    profiles = complete_profiles(given, history, postings)
    return TrainingInputs(profiles, postings, impressions, events)
