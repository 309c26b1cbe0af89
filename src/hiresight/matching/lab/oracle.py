"""The ceiling of a simulated log: rankings that read the simulator's hidden state.

A model sees only the log; the simulator also knows each candidate's hidden taste, every
job's hidden brand and the rule by which views happen. Ranking each test user's candidate
jobs (the split's jobs the user did not view before the cutoff, as every model ranks them)
by those hidden quantities bounds what any model can reach on the log, and says whether a
target ratio against a baseline is attainable at all. Three oracles:

- `oracle_choice`: the chance that the user views the job at least once in their sessions
  after the cutoff, from the simulator's own rule: a session shows `list_length` of the open
  jobs at random, examines position i with the examination probability, and a click follows
  with sigmoid(utility at that time - CLICK_BIAS). It knows when the user's sessions happen
  and which jobs the user applied to or dismissed before the cutoff (never shown again), so it
  is the best ranking by each job's probability of being relevant.
- `oracle_utility`: the true utility at the cutoff (taste, skills, level, place, salary, brand
  and the job's age), without the session times or the showing rule.
- `oracle_nonpersonal`: `oracle_choice` with each job's utility averaged over all candidates:
  the best list that is the same for every user, i.e. the ceiling of any popularity estimate.

Relevance stays what the log says (a view in the test window), so the oracles' NDCG@k is the
same measure as the models', on the same users.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from hiresight.matching.entities import EventKind, FloatArray
from hiresight.matching.lab.evaluate import RecommendFn, Split
from hiresight.matching.lab.simulator import CLICK_BIAS, DAY, W_AGE, Marketplace

ORACLES = ("oracle_choice", "oracle_utility", "oracle_nonpersonal")
AGE_SCALE = 30 * DAY  # the simulator's age term: W_AGE per 30 days since posting


class MarketOracle:
    """The hidden quantities of one market, read at a split's cutoff."""

    def __init__(self, market: Marketplace, split: Split) -> None:
        self.market, self.split = market, split
        self.posted = np.array([j.posted_at for j in market.jobs])
        # The market keeps the utility at its end; adding the age term back gives the
        # time-independent part, from which the utility at any time follows.
        age_at_end = np.maximum(0.0, market.end - self.posted) / AGE_SCALE
        self.static = market.utility.astype(np.float64) + W_AGE * age_at_end[None, :]
        self.mean_static = self.static.mean(axis=0)
        self.list_length = int(market.examination.shape[0])
        # A session's events are stamped up to list_length + 2 after it starts, so a session
        # that starts just before the cutoff can still put views after it.
        margin = self.list_length + 2.0
        self.sessions: dict[int, list[float]] = {}
        for imp in market.impressions:
            if imp.timestamp > split.cutoff - margin:
                self.sessions.setdefault(imp.candidate_id, []).append(imp.timestamp)
        # Pairs the simulator never shows again: applied to or dismissed before the cutoff.
        self.hidden: dict[int, set[int]] = {}
        for e in market.events:
            if e.kind in (EventKind.APPLY, EventKind.DISMISS) and e.timestamp <= split.cutoff:
                self.hidden.setdefault(e.candidate_id, set()).add(e.job_id)

    def utility_at(self, user: int, t: float) -> FloatArray:
        """The user's true utility of every job at time t (the simulator's formula)."""
        out: FloatArray = self.static[user - 1] - W_AGE * (t - self.posted) / AGE_SCALE
        return out

    def _open(self, t: float) -> np.ndarray:
        open_ = self.posted <= t
        if self.market.job_days is not None:
            open_ &= self.posted + self.market.job_days * DAY >= t
        return open_

    def choice_probability(self, user: int, personal: bool = True) -> FloatArray:
        """P(the user views each job at least once in their sessions after the cutoff).

        With `personal` False the utility of each job is its mean over all candidates.
        """
        miss = np.ones(len(self.market.jobs))
        exam = self.market.examination.astype(np.float64)
        for t in self.sessions.get(user, []):
            open_ = self._open(t)
            n_open = int(open_.sum())
            if n_open == 0:
                continue
            shown = min(self.list_length, n_open) / n_open
            examined = float(exam[: min(self.list_length, n_open)].mean())
            if personal:
                u = self.utility_at(user, t)
            else:
                u = self.mean_static - W_AGE * (t - self.posted) / AGE_SCALE
            click = 1.0 / (1.0 + np.exp(-(u - CLICK_BIAS)))
            miss *= 1.0 - np.where(open_, shown * examined * click, 0.0)
        hidden = [j - 1 for j in self.hidden.get(user, set())]
        chance: FloatArray = 1.0 - miss
        chance[hidden] = 0.0
        return chance

    def scores(self, name: str, user: int) -> FloatArray:
        """One oracle's score of every job (indexed by job id - 1) for the user."""
        if name == "oracle_choice":
            return self.choice_probability(user)
        if name == "oracle_nonpersonal":
            return self.choice_probability(user, personal=False)
        if name == "oracle_utility":
            age = np.maximum(0.0, self.split.cutoff - self.posted) / AGE_SCALE
            out: FloatArray = self.static[user - 1] - W_AGE * age
            return out
        raise ValueError(f"unknown oracle {name!r}; expected one of {', '.join(ORACLES)}")

    def recommend_fn(self, name: str) -> RecommendFn:
        """(user id, k) -> the split's job ids by the oracle, training jobs hidden."""
        ids = np.array(self.split.item_ids())

        def recommend(user: int, k: int) -> list[int]:
            score = self.scores(name, user)[ids - 1]
            seen = self.split.seen.get(user, set())
            if seen:
                score[[self.split.items[i] for i in seen]] = -np.inf
            order = np.argsort(-score, kind="stable")[:k]
            return [int(ids[i]) for i in order if np.isfinite(score[i])]

        return recommend


def oracle_models(market: Marketplace, split: Split) -> Mapping[str, RecommendFn]:
    """Every oracle as a recommender on `split`, whose ids are the market's (as textmarket)."""
    oracle = MarketOracle(market, split)
    return {name: oracle.recommend_fn(name) for name in ORACLES}
