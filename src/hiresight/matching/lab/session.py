"""Models for sparse job-view logs: what the user looked at last, and what goes with it.

Published work on job-view and session logs (session-kNN, the RecSys Challenge 2016/2017 job
data, Ludewig and Jannach 2018, "Evaluation of session-based recommendation algorithms")
finds the same few signals again and again; each is a scorer here, and `SessionModels` adds
them up (the `session` model):

- **recency**: a user's last views predict the next ones best, so the history is weighted
  by exponential decay over position (`recency_weights`), not averaged flat;
- **co-visitation** (`CoVisitation`): jobs viewed close together (a few views apart) by the
  same user, each pair weighted by 1 / distance and divided by the square root of both jobs'
  view counts, so a popular job does not go with everything;
- **item similarity** (`ItemSimilarity`): TF-IDF over the title's words plus the city and
  the company as strong fields: a job in the same city with a similar title comes first;
- **city popularity** (`CityPopularity`): what was viewed lately (views decayed by age)
  in the cities the user looks in; for a user with no history, in the city of their record
  if it has one, else everywhere: new postings draw most views, so recent popularity beats
  all-time popularity;
- **re-views** (`RecentReviews`): the user's own recent jobs. The split's relevant jobs are
  new to the user unless it counts repeats (`Split.repeats`), so this helps only then;
  `review_share` measures how common re-views are in the training window.

Every scorer reads the training window only (rows at or before the split's cutoff).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from hiresight.matching.entities import POSITIVE_EVENTS, CandidateProfile, FloatArray, JobPosting
from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.lab.evaluate import LogRow, RecommendFn, Split, split_at
from hiresight.ranking.metrics import ndcg_at_k

# Views of a user kept for scoring: the last ones matter, the rest is noise and time.
MAX_HISTORY = 20
# Self-tuning: the blend settings tried on an inner split of the training window (its last
# INNER_SHARE of views held out), judged by NDCG@10 over at most INNER_USERS of its users.
# How fast popularity goes stale differs most between logs (jobs open for days or for the
# whole log), so that is the main choice; the rest keeps the defaults' shape.
TUNING_GRID: dict[str, tuple[float, ...]] = {
    "recent_share": (0.01, 0.02, 0.05, 0.2, 1.0),
    "covisit": (0.0, 0.5),
    "city": (0.5, 1.0),
}
INNER_SHARE = 0.2
INNER_USERS = 1500
# Popularity only orders what a model scores equal.
TIEBREAK = 1e-6
_ScoreFn = Callable[[int], FloatArray]


def recency_weights(n: int, half_life: float) -> FloatArray:
    """Weights of n views in time order: the last 1.0, halving every `half_life` views back."""
    back = np.arange(n - 1, -1, -1, dtype=np.float64)
    w: FloatArray = 0.5 ** (back / max(half_life, 1e-9))
    return w


@dataclass
class Histories:
    """Each user's positive training views in time order (item columns, repeats kept)."""

    items: dict[int, list[int]]
    times: dict[int, list[float]]
    cutoff: float
    start: float

    @classmethod
    def of(cls, rows: Sequence[LogRow], split: Split) -> Histories:
        """The training-window views of `rows` (at or before the split's cutoff)."""
        items: dict[int, list[int]] = defaultdict(list)
        times: dict[int, list[float]] = defaultdict(list)
        train = sorted(
            (r for r in rows if r.timestamp <= split.cutoff and r.event in POSITIVE_EVENTS),
            key=lambda r: r.timestamp,
        )
        for r in train:
            items[r.user].append(split.items[r.item])
            times[r.user].append(r.timestamp)
        start = train[0].timestamp if train else split.cutoff
        return cls(dict(items), dict(times), split.cutoff, start)

    def last(self, user: int, half_life: float) -> tuple[list[int], FloatArray]:
        """The user's last MAX_HISTORY views and their recency weights."""
        cols = self.items.get(user, [])[-MAX_HISTORY:]
        return cols, recency_weights(len(cols), half_life)


def review_share(rows: Sequence[LogRow], cutoff: float) -> float:
    """Share of the positive training-window views that repeat the user's earlier view of a job."""
    seen: set[tuple[int, int]] = set()
    repeats = total = 0
    for r in sorted(rows, key=lambda r: r.timestamp):
        if r.timestamp > cutoff or r.event not in POSITIVE_EVENTS:
            continue
        total += 1
        repeats += (r.user, r.item) in seen
        seen.add((r.user, r.item))
    return repeats / total if total else 0.0


def _scaled(x: FloatArray) -> FloatArray:
    top = float(np.max(x, initial=0.0))
    out: FloatArray = x / top if top > 0 else x
    return out


def recent_popularity(histories: Histories, n_items: int, recent_share: float) -> FloatArray:
    """Views per item (one per user and item), each decayed by its age at the cutoff.

    The half-life is the time the last `recent_share` of the training views span, so it
    follows the log's own pace instead of a fixed number of days.
    """
    last: dict[tuple[int, int], float] = {}
    for user, cols in histories.items.items():
        for col, t in zip(cols, histories.times[user], strict=True):
            last[(user, col)] = t
    if not last:
        return np.zeros(n_items)
    times = np.array(list(last.values()))
    span = histories.cutoff - float(np.quantile(times, 1.0 - recent_share))
    half_life = max(span, 1e-9)
    weights = 0.5 ** ((histories.cutoff - times) / half_life)
    where = np.array([c for _, c in last])
    return _scaled(np.bincount(where, weights=weights, minlength=n_items).astype(np.float64))


class CoVisitation:
    """Item-to-item co-visitation over each user's view sequence (see the module docstring).

    With `half_life` (in the log's time unit), each pair also counts 0.5 ** (age / half_life),
    its age being the time from its later view to the cutoff: what goes together lately.
    """

    def __init__(
        self, histories: Histories, n_items: int, window: int = 3, half_life: float | None = None
    ) -> None:
        src: list[int] = []
        dst: list[int] = []
        val: list[float] = []
        for user, cols in histories.items.items():
            times = histories.times[user]
            keep = [i for i in range(len(cols)) if i == 0 or cols[i - 1] != cols[i]]
            seq = [cols[i] for i in keep]
            if half_life is None:
                decay = [1.0] * len(seq)
            else:
                decay = [0.5 ** ((histories.cutoff - times[i]) / half_life) for i in keep]
            for d in range(1, window + 1):
                for a, b, w in zip(seq, seq[d:], decay[d:], strict=False):
                    if a != b:
                        src += [a, b]
                        dst += [b, a]
                        val += [w / d, w / d]
        co = sp.csr_matrix((val, (src, dst)), shape=(n_items, n_items), dtype=np.float64)
        views = np.bincount(
            [c for cols in histories.items.values() for c in set(cols)], minlength=n_items
        ).astype(np.float64)
        norm = sp.diags(1.0 / np.sqrt(np.maximum(views, 1.0)))
        self.matrix: sp.csr_matrix = (norm @ co @ norm).tocsr()

    def scores(self, cols: Sequence[int], weights: FloatArray) -> FloatArray:
        """Recency-weighted sum of the co-visitation rows of the user's last views."""
        if not cols:
            return np.zeros(self.matrix.shape[0])
        m = sp.csr_matrix((weights, (np.zeros(len(cols)), cols)), shape=(1, self.matrix.shape[0]))
        out: FloatArray = np.asarray((m @ self.matrix).todense(), dtype=np.float64).ravel()
        return out


def _one_hot(keys: Sequence[str]) -> sp.csr_matrix:
    codes: dict[str, int] = {}
    rows = [i for i, k in enumerate(keys) if k]
    cols = [codes.setdefault(keys[i], len(codes)) for i in rows]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), max(len(codes), 1)))


class ItemSimilarity:
    """Job-to-job similarity: title TF-IDF cosine + `city` x same city + `company` x same company.

    Built as one sparse matrix whose dot products are exactly that sum (the city and company
    one-hot columns scaled by the square root of their weight).
    """

    def __init__(
        self, split: Split, jobs: Sequence[JobPosting], city: float = 1.0, company: float = 0.3
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        by_id = {j.id: j for j in jobs}
        ids = split.item_ids()
        known = [by_id.get(i) for i in ids]
        titles = [j.title if j is not None else "" for j in known]
        if any(t.strip() for t in titles):
            vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w[\w+#]*")
            title_m = vectorizer.fit_transform(titles).tocsr()
        else:
            title_m = sp.csr_matrix((len(ids), 1))
        cities = [j.location.strip().casefold() if j is not None else "" for j in known]
        companies = [str(j.company_id) if j is not None else "" for j in known]
        self.matrix: sp.csr_matrix = sp.hstack(
            [title_m, np.sqrt(city) * _one_hot(cities), np.sqrt(company) * _one_hot(companies)]
        ).tocsr()
        self.cities = cities

    def scores(self, cols: Sequence[int], weights: FloatArray) -> FloatArray:
        """Recency-weighted sum of every job's similarity to the user's last views."""
        if not cols:
            return np.zeros(self.matrix.shape[0])
        m = sp.csr_matrix((weights, (np.zeros(len(cols)), cols)), shape=(1, self.matrix.shape[0]))
        profile = (m @ self.matrix).T
        out: FloatArray = np.asarray((self.matrix @ profile).todense(), dtype=np.float64).ravel()
        return out


class CityPopularity:
    """Recent popularity within the cities a user looks in (see the module docstring)."""

    def __init__(self, cities: Sequence[str], recent: FloatArray) -> None:
        # Code 0 is "no city": it never counts as the user's city.
        self.codes: dict[str, int] = {"": 0}
        self.city = np.array([self.codes.setdefault(c, len(self.codes)) for c in cities])
        self.recent = recent

    def scores(self, cols: Sequence[int], weights: FloatArray, home: str = "") -> FloatArray:
        """Each job's recent popularity times the user's recency-weighted share of its city."""
        share = np.zeros(len(self.codes))
        np.add.at(share, self.city[np.asarray(cols, dtype=np.int64)], weights)
        share[0] = 0.0
        if not share.any() and home.strip().casefold() in self.codes:
            share[self.codes[home.strip().casefold()]] = 1.0
        if not share.any():
            return self.recent.copy()
        out: FloatArray = (share / share.sum())[self.city] * self.recent + TIEBREAK * self.recent
        return out


@dataclass
class BlendWeights:
    """How much each signal counts in the `session` blend (each scaled to [0, 1] per user).

    The defaults were chosen on the tuning halves of the simulated view logs
    (docs/benchmarks.md); `SessionModels.fit` with `self_tune` then picks `recent_share`,
    `covisit` and `city` from `TUNING_GRID` on the log's own training window.
    """

    covisit: float = 0.5
    similar: float = 1.0
    city: float = 1.0
    popular: float = 0.0
    review: float = 1.0  # only when the split counts repeats as relevant
    half_life: float = 2.0  # views back at which a view's weight halves
    recent_share: float = 0.05  # the last share of training views that sets the decay
    city_field: float = 1.0  # ItemSimilarity's same-city weight
    company_field: float = 0.3  # ItemSimilarity's same-company weight
    window: int = 3  # co-visitation: pairs at most this many views apart


@dataclass
class SessionModels:
    """The scorers fitted on one split's training window, and recommend functions over them."""

    split: Split
    histories: Histories
    covisit: CoVisitation
    similar: ItemSimilarity
    city: CityPopularity
    recent: FloatArray
    weights: BlendWeights
    homes: Mapping[int, str] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)  # item id by column

    def __post_init__(self) -> None:
        self.ids = self.split.item_ids()

    @classmethod
    def fit(
        cls,
        rows: Sequence[LogRow],
        split: Split,
        jobs: Sequence[JobPosting],
        profiles: Mapping[int, CandidateProfile] | None = None,
        weights: BlendWeights | None = None,
        *,
        self_tune: bool = True,
        random_state: int = 0,
    ) -> SessionModels:
        """Fit every scorer on the training window of `rows`.

        With `self_tune`, the blend settings in TUNING_GRID are first chosen on an inner
        split of the training window (`tune_weights`); nothing after the cutoff is read.
        """
        w = weights or BlendWeights()
        if self_tune:
            w = tune_weights(rows, split, jobs, profiles, w, random_state)
        histories = Histories.of(rows, split)
        n = len(split.items)
        recent = recent_popularity(histories, n, w.recent_share)
        similar = ItemSimilarity(split, jobs, w.city_field, w.company_field)
        homes = {u: p.location for u, p in (profiles or {}).items() if p.location}
        return cls(
            split,
            histories,
            CoVisitation(histories, n, w.window),
            similar,
            CityPopularity(similar.cities, recent),
            recent,
            w,
            homes,
        )

    def _own(self, cols: Sequence[int], weights: FloatArray) -> FloatArray:
        own = np.zeros(len(self.split.items))
        np.add.at(own, np.asarray(cols, dtype=np.int64), weights)
        return own

    def components(self, user: int) -> dict[str, FloatArray]:
        """Each signal of the blend for one user, scaled to [0, 1] (empty ones left out)."""
        cols, rec = self.histories.last(user, self.weights.half_life)
        parts = {"city": _scaled(self.city.scores(cols, rec, self.homes.get(user, "")))}
        if cols:
            parts["covisit"] = _scaled(self.covisit.scores(cols, rec))
            parts["similar"] = _scaled(self.similar.scores(cols, rec))
            if self.split.repeats:
                parts["review"] = _scaled(self._own(cols, rec))
        return parts

    def combine(self, parts: Mapping[str, FloatArray], w: BlendWeights) -> FloatArray:
        """The weighted sum of a user's signals, plus `popular` x recent popularity."""
        total: FloatArray = w.popular * self.recent
        for name, values in parts.items():
            total = total + getattr(w, name) * values
        return total

    def blend_scores(self, user: int) -> FloatArray:
        """The blended score of every item column for one user."""
        return self.combine(self.components(user), self.weights)

    def review_scores(self, user: int) -> FloatArray:
        """The user's own recent views first (by recency weight), then city popularity."""
        cols, rec = self.histories.last(user, self.weights.half_life)
        city = self.city.scores(cols, rec, self.homes.get(user, ""))
        return self._own(cols, rec) + TIEBREAK * _scaled(city)

    def city_scores(self, user: int) -> FloatArray:
        """Recent popularity in the user's cities."""
        cols, rec = self.histories.last(user, self.weights.half_life)
        return self.city.scores(cols, rec, self.homes.get(user, ""))

    def models(self) -> dict[str, RecommendFn]:
        """The blend and the two baselines as (user id, k) -> item ids."""
        return {
            "recent_review": self._fn(self.review_scores, hide_seen=False),
            "city_popularity": self._fn(self.city_scores),
            "session": self._fn(self.blend_scores),
        }

    def ranked(self, user: int, k: int, scores: FloatArray, hide_seen: bool = True) -> list[int]:
        """The top k item ids by `scores`; jobs seen in training hidden unless repeats count."""
        split = self.split
        total = scores + TIEBREAK * self.recent
        seen = split.seen.get(user, set())
        if seen and hide_seen and not split.repeats:
            total[[split.items[i] for i in seen]] = -np.inf
        order = np.argsort(-total, kind="stable")[:k]
        return [self.ids[i] for i in order if np.isfinite(total[i])]

    def _fn(self, score: _ScoreFn, hide_seen: bool = True) -> RecommendFn:
        def recommend(user: int, k: int) -> list[int]:
            return self.ranked(user, k, score(user), hide_seen)

        return recommend


def _combos(base: BlendWeights) -> list[BlendWeights]:
    grid = TUNING_GRID
    return [
        dataclasses.replace(base, recent_share=share, covisit=covisit, city=city)
        for share, covisit, city in itertools.product(
            grid["recent_share"], grid["covisit"], grid["city"]
        )
    ]


def tune_weights(
    rows: Sequence[LogRow],
    split: Split,
    jobs: Sequence[JobPosting],
    profiles: Mapping[int, CandidateProfile] | None,
    base: BlendWeights,
    random_state: int = 0,
) -> BlendWeights:
    """The TUNING_GRID setting with the best NDCG@10 on an inner split of the training window.

    The training window is split again at its (1 - INNER_SHARE) time quantile, as the outer
    split is; `base` is kept when the inner split has no test user.
    """
    train = [r for r in rows if r.timestamp <= split.cutoff]
    if not train:
        return base
    cutoff = float(np.quantile([r.timestamp for r in train], 1.0 - INNER_SHARE))
    try:
        inner = split_at(train, cutoff, split.users, split.items, repeats=split.repeats)
    except NotEnoughDataError:
        return base
    users = sorted(inner.relevant)
    if len(users) > INNER_USERS:
        rng = np.random.default_rng(random_state)
        users = sorted(rng.choice(users, INNER_USERS, replace=False).tolist())
    combos = _combos(base)
    totals = np.zeros(len(combos))
    fitted = {
        share: SessionModels.fit(
            train, inner, jobs, profiles, dataclasses.replace(base, recent_share=share),
            self_tune=False,
        )
        for share in TUNING_GRID["recent_share"]
    }  # fmt: skip
    for user in users:
        relevance = dict.fromkeys(inner.relevant[user], 1.0)
        parts = {share: models.components(user) for share, models in fitted.items()}
        for i, combo in enumerate(combos):
            models = fitted[combo.recent_share]
            scores = models.combine(parts[combo.recent_share], combo)
            ranked = models.ranked(user, 10, scores)
            totals[i] += ndcg_at_k(ranked, relevance, 10)
    return combos[int(np.argmax(totals))]  # the first of equals: the grid's order
