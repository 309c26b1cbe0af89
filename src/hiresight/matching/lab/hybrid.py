"""The hybrid: LightGBM LambdaRank over content, collaborative and popularity scores.

Trained on the training window alone, in two stages as in the usual candidate-generation
and re-ranking set-up:

1. The training window is split again in time, like the outer split, at `windows`
   consecutive cutoffs (each a further test_fraction of its events back). The base
   models (TF-IDF, embedding similarity, the profile's content score, co-occurrence, ALS,
   popularity, recent popularity, and the session blend's signals of lab.session:
   co-visitation with the last views, plain and time-decayed, title/city/company
   similarity to them, city popularity, fast- and slow-decayed popularity, same-city and
   same-company shares, and when a job was first viewed) are fitted on each earlier part;
   each user with engagement in the later part gets the union of the base models' top
   `pool` jobs as candidates, labelled by whether they engaged with it. LambdaRank learns
   how to weigh the scores from those lists, with every score constrained to count
   monotonically upwards: without that prior the trees fitted noise and ranked below
   popularity on the tuning half of the dense simulated log (NDCG@10 0.037 against 0.055
   with it). Each score is divided by its largest value in the user's list (query-level
   normalisation, as in the LETOR data sets), so a split learned on one user's scale
   applies to another's.
2. The base models are refitted on the whole training window and the ranker re-ranks the
   same kind of candidate pool for each test user.

`features` picks the columns the ranker reads (FEATURES by default; ALL_FEATURES adds the
opt-in brand, rate and level features, kept for comparing feature sets on tuning halves).
Nothing after the cutoff is read, so the comparison stays honest; users with no history
(cold) are in the training lists too, so the ranker learns what to do for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from hiresight.matching.catalog import IntArray
from hiresight.matching.entities import POSITIVE_EVENTS, CandidateProfile, FloatArray, JobPosting
from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.lab.content import EmbeddingScorer, TfidfScorer, popularity
from hiresight.matching.lab.evaluate import LogRow, RecommendFn, Split, split_at
from hiresight.matching.lab.recommenders import ALSRecommender, CooccurrenceRecommender
from hiresight.matching.lab.session import (
    BlendWeights,
    CoVisitation,
    SessionModels,
    recent_popularity,
)
from hiresight.matching.rankers import LightGBMRanker

ALL_FEATURES = (
    "tfidf",
    "embedding",
    "profile",
    "cooccurrence",
    "als",
    "popularity",
    "recent_popularity",
    "company_popularity",
    "company_affinity",
    # The session signals (lab.session), each per job for the user's last views:
    "covisit",  # co-visitation with the last views
    "covisit_recent",  # the same, each pair decayed by its age at the cutoff
    "similar",  # title TF-IDF + same city + same company, recency-weighted
    "city_popularity",  # recent popularity within the user's cities
    "popularity_fast",  # views decayed fast (the last 2 % of views set the half-life)
    "popularity_slow",  # and slowly (the last 20 %)
    "same_city",  # recency-weighted share of the last views in the job's city
    "same_company",  # and at the job's company
    "freshness",  # when the job was first viewed, 0 (window start, or never) to 1 (cutoff)
    # Brand and exposure: users per unit of time since the job's first view, shrunk towards
    # its company's rate (a job seen only lately, or not yet, inherits its employer's draw),
    # and that company rate alone (views per job-time: the brand, not the number of jobs).
    "view_rate",
    "company_rate",
    "same_level",  # recency-weighted share of the last views at the job's seniority level
    # Per-user constants last: how far the per-job scores above can be trusted.
    "history",
    "has_profile",
)
PER_USER = ("history", "has_profile")
# The features the ranker reads by default (a subset of ALL_FEATURES, in that order). The
# brand, rate and level features stay opt-in: on the tuning halves of the seed-1 and seed-2
# textmarket dense logs each lowered NDCG@10 or moved it within noise (base 0.0484 / 0.0583;
# with view_rate 0.0443 / 0.0556, company_rate 0.0425 / 0.0546, same_level 0.0488 / 0.0571;
# benchmarks/recs_hybrid_features.py, docs/benchmarks.md), where the ceiling is near.
OPT_IN = ("view_rate", "company_rate", "same_level")
FEATURES = tuple(f for f in ALL_FEATURES if f not in OPT_IN)
# Last share of a window whose engagement counts as "recent" popularity: jobs come and go,
# and what was viewed lately is a better guess than what was viewed all window long.
RECENT = 0.25
# Decays of the two popularity features and of the recent co-visitation, as shares of the
# training views (lab.session.recent_popularity): the ranker weighs a fast and a slow one,
# as the session blend's self-tuning picks one of them per log.
FAST, SLOW = 0.02, 0.2
# Prior exposure, as a share of the training window, given to each job at its company's rate.
RATE_PRIOR = 0.05
MAX_TRAIN_USERS = 3000
HYBRID_LGB_PARAMS: dict[str, object] = {"min_data_in_leaf": 20, "num_leaves": 15}


@dataclass
class HybridInputs:
    """What the base models read besides the log: job texts and vectors, user texts/profiles."""

    job_texts: Mapping[int, str]
    vectors: Mapping[int, FloatArray]
    user_texts: Mapping[int, str]
    profiles: Mapping[int, CandidateProfile]
    companies: Mapping[int, int] = field(default_factory=dict)  # job id -> company id
    # Titles and cities for the session signals; without them those read only the log.
    postings: Sequence[JobPosting] = ()


class _Base:
    """The base models fitted on one split, giving a feature matrix per user."""

    def __init__(
        self, split: Split, rows: Sequence[LogRow], inputs: HybridInputs, random_state: int
    ) -> None:
        self.split = split
        self.tfidf = TfidfScorer(split, inputs.job_texts, inputs.user_texts)
        self.embedding = EmbeddingScorer(split, inputs.vectors)
        self.cooc = CooccurrenceRecommender(random_state=random_state).fit(split.train)
        self.als = ALSRecommender(random_state=random_state).fit(split.train)
        self.pop = popularity(split)
        self.recent = _recent_popularity(rows, split)
        ids = split.item_ids()
        self.item_vectors = np.stack(
            [inputs.vectors.get(i, np.zeros_like(next(iter(inputs.vectors.values())))) for i in ids]
        ).astype(np.float32)
        self.profiles = inputs.profiles
        # Employers: a new job of a company whose other jobs drew users inherits some of that.
        company = np.array([inputs.companies.get(i, -1 - c) for c, i in enumerate(ids)])
        _, self.company = np.unique(company, return_inverse=True)
        n_companies = int(self.company.max(initial=-1)) + 1
        binary = (split.train > 0).astype(np.float32).tocsr()
        to_company = sp.csr_matrix(
            (np.ones(len(ids)), (np.arange(len(ids)), self.company)),
            shape=(len(ids), n_companies),
        )
        self.user_company = (binary @ to_company).tocsr()
        users_per_company = np.asarray((self.user_company > 0).sum(axis=0)).ravel()
        per_item = users_per_company[self.company].astype(np.float64)
        self.users = np.asarray(binary.sum(axis=0), dtype=np.float64).ravel()
        self.company_pop = per_item / max(float(per_item.max(initial=0.0)), 1.0)
        self._session_signals(split, rows, inputs)

    def _session_signals(self, split: Split, rows: Sequence[LogRow], inputs: HybridInputs) -> None:
        """The session blend's scorers, fitted on the same window (default blend settings)."""
        self.session = SessionModels.fit(
            rows, split, inputs.postings, inputs.profiles, BlendWeights(), self_tune=False
        )
        histories, n = self.session.histories, len(split.items)
        self.pop_fast = recent_popularity(histories, n, FAST)
        self.pop_slow = recent_popularity(histories, n, SLOW)
        times = [t for ts in histories.times.values() for t in ts]
        span = histories.cutoff - float(np.quantile(times, 1.0 - SLOW)) if times else 0.0
        self.covisit_recent = CoVisitation(histories, n, BlendWeights().window, max(span, 1e-9))
        first = np.full(n, np.inf)
        for user, cols in histories.items.items():
            np.minimum.at(first, np.asarray(cols), histories.times[user])
        length = max(histories.cutoff - histories.start, 1e-9)
        self.freshness = np.where(
            np.isfinite(first), np.clip((first - histories.start) / length, 0.0, 1.0), 0.0
        )
        self.city_code = self.session.city.city
        exposure = np.where(np.isfinite(first), (histories.cutoff - first) / length, 0.0)
        self.view_rate, self.company_rate = _view_rates(self.users, exposure, self.company)
        level = {p.id: p.seniority for p in inputs.postings}
        # Code 0: no posting, so no level; levels 0-3 become codes 1-4.
        self.level = np.array([level.get(i, -1) + 1 for i in split.item_ids()], dtype=np.int64)

    def features(self, user: int) -> FloatArray:
        """(n_items, len(ALL_FEATURES)) for one user."""
        row = self.split.users[user]
        n = len(self.split.items)
        zeros = np.zeros(n)
        history = float(self.split.train[row].nnz)
        tfidf = self.tfidf.scores(user)
        emb = self.embedding.scores(user)
        profile = self.profiles.get(user)
        content = zeros if profile is None else self.item_vectors @ profile.vector
        warm = history > 0
        session = self.session
        cols, rec = session.histories.last(user, session.weights.half_life)
        home = self.profiles[user].location if user in self.profiles else ""
        if cols:
            covisit = session.covisit.scores(cols, rec)
            covisit_recent = self.covisit_recent.scores(cols, rec)
            similar = session.similar.scores(cols, rec)
            same_city = self._share(self.city_code, cols, rec, skip_zero=True)
            same_company = self._share(self.company, cols, rec)
            same_level = self._share(self.level, cols, rec, skip_zero=True)
        else:
            covisit = covisit_recent = similar = same_city = same_company = same_level = zeros
        columns = [
            zeros if tfidf is None else tfidf,
            zeros if emb is None else emb,
            content,
            self.cooc.scores(row) if warm else zeros,
            self.als.scores(row) if warm else zeros,
            self.pop,
            self.recent,
            self.company_pop,
            self._company_affinity(row, history),
            covisit,
            covisit_recent,
            similar,
            session.city.scores(cols, rec, home),
            self.pop_fast,
            self.pop_slow,
            same_city,
            same_company,
            self.freshness,
            self.view_rate,
            self.company_rate,
            same_level,
            np.full(n, np.log1p(history)),
            np.full(n, float(profile is not None)),
        ]
        return np.column_stack(columns).astype(np.float32)

    @staticmethod
    def _share(
        codes: np.ndarray, cols: Sequence[int], weights: FloatArray, skip_zero: bool = False
    ) -> FloatArray:
        """Each job's share of the user's recency weights whose job has the same code."""
        share = np.zeros(int(codes.max(initial=0)) + 1)
        np.add.at(share, codes[np.asarray(cols, dtype=np.int64)], weights)
        if skip_zero:  # code 0: no city, never the same place
            share[0] = 0.0
        out: FloatArray = share[codes] / max(float(weights.sum()), 1e-12)
        return out

    def _company_affinity(self, row: int, history: float) -> FloatArray:
        """Share of the user's training jobs at each job's company."""
        if history == 0:
            return np.zeros(len(self.company))
        counts = np.asarray(self.user_company[row].todense()).ravel()
        share: FloatArray = counts[self.company] / history
        return share

    def pool(self, user: int, x: FloatArray, size: int, per_job: int) -> np.ndarray:
        """Item columns in the union of each score's top `size`, training items excluded.

        The first `per_job` columns of x are scores with a per-job meaning; the rest are
        per-user constants.
        """
        seen = [self.split.items[i] for i in self.split.seen.get(user, set())]
        picked: set[int] = set()
        for f in range(per_job):
            column = x[:, f].astype(np.float64)
            column[seen] = -np.inf
            picked.update(int(c) for c in np.argsort(-column, kind="stable")[:size])
        picked.difference_update(seen)
        return np.array(sorted(picked), dtype=np.int64)


def _view_rates(
    users: FloatArray, exposure: FloatArray, company: np.ndarray
) -> tuple[FloatArray, FloatArray]:
    """Per job: users per unit of exposure, shrunk to the company's rate; and that rate.

    `exposure` is the share of the training window since the job's first view (0 if never
    viewed). Raw popularity mixes how attractive a job is with how long it has been
    around; a rate does not, and the RATE_PRIOR of exposure at the company's rate keeps a
    job seen once, just before the cutoff, from topping the list on one view.
    """
    n_companies = int(company.max(initial=-1)) + 1
    company_users = np.bincount(company, weights=users, minlength=n_companies)
    company_exposure = np.bincount(company, weights=exposure, minlength=n_companies)
    overall = users.sum() / max(float(exposure.sum()), 1e-12)
    company_rate = (company_users + RATE_PRIOR * overall) / (company_exposure + RATE_PRIOR)
    prior = company_rate[company]
    rate = (users + RATE_PRIOR * prior) / (exposure + RATE_PRIOR)
    top, company_top = max(float(rate.max(initial=0.0)), 1e-12), max(float(prior.max()), 1e-12)
    scaled: FloatArray = rate / top
    brand: FloatArray = prior / company_top
    return scaled, brand


def _recent_popularity(rows: Sequence[LogRow], split: Split) -> FloatArray:
    times = [r.timestamp for r in rows if r.timestamp <= split.cutoff]
    start = min(times) + (1 - RECENT) * (max(times) - min(times)) if times else split.cutoff
    counts = np.zeros(len(split.items))
    users: dict[int, set[int]] = {}
    for r in rows:
        if start <= r.timestamp <= split.cutoff and r.event in POSITIVE_EVENTS:
            users.setdefault(split.items[r.item], set()).add(r.user)
    for col, who in users.items():
        counts[col] = len(who)
    scaled: FloatArray = counts / max(float(counts.max(initial=0.0)), 1.0)
    return scaled


class HybridRanker:
    """Fit on the training window of `split` (see the module docstring), then recommend."""

    name = "hybrid"

    def __init__(
        self,
        pool: int = 50,
        n_estimators: int = 200,
        test_fraction: float = 0.2,
        seed: int = 0,
        params: dict[str, object] | None = None,
        # 5 rather than 3: more lists for the session features' trees (NDCG@10 0.0531 against
        # 0.0432 on the tuning half of the seed-1 textmarket dense log, 0.1480 against 0.1465
        # on the seed-1 dense view log; docs/benchmarks.md).
        windows: int = 5,
        normalise: bool = True,
        features: Sequence[str] = FEATURES,
    ) -> None:
        self.pool_size, self.n_estimators = pool, n_estimators
        self.test_fraction, self.seed = test_fraction, seed
        unknown = set(features) - set(ALL_FEATURES)
        if unknown:
            raise ValueError(f"unknown hybrid feature(s): {', '.join(sorted(unknown))}")
        self.features = tuple(f for f in ALL_FEATURES if f in set(features))
        self.columns = [ALL_FEATURES.index(f) for f in self.features]
        self.per_job = sum(f not in PER_USER for f in self.features)
        # A higher content, collaborative or popularity score never makes a job less likely:
        # a prior that keeps the trees from fitting noise in a few hundred lists.
        monotone = [0 if f in PER_USER else 1 for f in self.features]
        self.params = {**HYBRID_LGB_PARAMS, "monotone_constraints": monotone, **(params or {})}
        self.windows, self.normalise = windows, normalise

    def fit(self, rows: Sequence[LogRow], split: Split, inputs: HybridInputs) -> HybridRanker:
        """Learn the weights on inner splits of the training window; refit the bases."""
        train_rows = [r for r in rows if r.timestamp <= split.cutoff]
        times = [r.timestamp for r in train_rows]
        xs: list[FloatArray] = []
        ys: list[IntArray] = []
        groups: list[int] = []
        # Consecutive windows of the training window, each split like the outer one: more
        # lists to learn from, and weights that hold over more than one stretch of time.
        for window in range(self.windows):
            end = float(np.quantile(times, 1.0 - self.test_fraction * window))
            cutoff = float(np.quantile(times, 1.0 - self.test_fraction * (window + 1)))
            part = [r for r in train_rows if r.timestamp <= end]
            try:
                inner = split_at(part, cutoff, split.users, split.items)
            except NotEnoughDataError:
                continue
            self._lists(_Base(inner, part, inputs, self.seed), xs, ys, groups)
        if not groups:
            raise NotEnoughDataError(
                "no user's later training-window jobs were among the base models' candidates"
            )
        self.ranker = LightGBMRanker(
            n_estimators=self.n_estimators,
            random_state=self.seed,
            params=self.params,
            feature_names=self.features,
        ).fit(np.vstack(xs), np.concatenate(ys), np.array(groups))
        self.groups = len(groups)
        self.base = _Base(split, rows, inputs, self.seed)
        return self

    def _query(self, x: FloatArray) -> FloatArray:
        """With `normalise`, each score column divided by its largest value in the list."""
        if not self.normalise:
            return x
        out = x.copy()
        top = np.abs(out[:, : self.per_job]).max(axis=0)
        out[:, : self.per_job] /= np.where(top > 0, top, 1.0)
        return out

    def _lists(
        self, base: _Base, xs: list[FloatArray], ys: list[IntArray], groups: list[int]
    ) -> None:
        """Append one labelled candidate list per user with later engagement in `base`."""
        inner = base.split
        users = sorted(inner.relevant)
        if len(users) > MAX_TRAIN_USERS:
            rng = np.random.default_rng(self.seed)
            users = sorted(rng.choice(users, MAX_TRAIN_USERS, replace=False).tolist())
        for user in users:
            x = base.features(user)[:, self.columns]
            cols = base.pool(user, x, self.pool_size, self.per_job)
            relevant = {inner.items[i] for i in inner.relevant[user]}
            y = np.array([1 if c in relevant else 0 for c in cols], dtype=np.int64)
            if y.any() and not y.all():
                xs.append(self._query(x[cols]))
                ys.append(y)
                groups.append(len(cols))

    def recommend_fn(self) -> RecommendFn:
        """(user id, k) -> item ids over the refitted bases."""
        split, base = self.base.split, self.base
        ids = split.item_ids()

        def recommend(user: int, k: int) -> list[int]:
            x = base.features(user)[:, self.columns]
            cols = base.pool(user, x, max(self.pool_size, k), self.per_job)
            scores = self.ranker.score(self._query(x[cols])).astype(np.float64)
            order = np.argsort(-scores, kind="stable")[:k]
            return [ids[int(cols[i])] for i in order]

        return recommend
