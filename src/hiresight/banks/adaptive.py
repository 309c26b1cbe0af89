"""Adaptive English item selection: Rasch (1PL) ability estimates by EAP, next item nearest θ.

Expected a posteriori (EAP) estimation on a fixed grid with a normal prior follows Bock & Mislevy
(1982); unlike maximum likelihood it stays finite when every answer so far is right (or wrong),
which is the normal state of the first few items. Under the Rasch model an item is most
informative when its difficulty equals the ability, hence "closest difficulty to θ".
"""

from __future__ import annotations

import bisect
import functools
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from hiresight.banks.errors import RepeatedItemError, UnknownItemError
from hiresight.banks.loader import english_items
from hiresight.banks.models import CEFR_LEVELS, LEVEL_CUTS, CefrLevel, EnglishItem


@dataclass(frozen=True)
class Response:
    """One answered item: its id and whether the answer was correct."""

    item_id: str
    correct: bool


class LevelEstimate(NamedTuple):
    """Ability on the logit scale, its posterior standard deviation, and the CEFR band."""

    theta: float
    standard_error: float
    cefr_band: CefrLevel


@dataclass(frozen=True)
class AdaptiveConfig:
    """Test length, prior, grid and exposure settings for one adaptive English check."""

    max_items: int = 12
    prior_mean: float = 0.0
    prior_sd: float = 1.0
    grid_min: float = -4.0
    grid_max: float = 4.0
    grid_points: int = 161
    # At most this many items of one kind in a row; a reading passage's items always stay
    # together, and two passages are never given back to back.
    max_kind_run: int = 2
    # Breaks ties between equally distant items, so different sessions see different items.
    seed: int = 0

    def __post_init__(self) -> None:
        if self.max_items < 1:
            raise ValueError("max_items must be at least 1")
        if self.prior_sd <= 0:
            raise ValueError("prior_sd must be positive")
        if self.grid_points < 3 or self.grid_min >= self.grid_max:
            raise ValueError("the grid needs grid_min < grid_max and at least 3 points")
        if self.max_kind_run < 1:
            raise ValueError("max_kind_run must be at least 1")


DEFAULT_CONFIG = AdaptiveConfig()


def rasch_probability(theta: float, difficulty: float) -> float:
    """P(correct) under the Rasch model: 1 / (1 + exp(-(θ - b)))."""
    return 1.0 / (1.0 + math.exp(-(theta - difficulty)))


def eap(
    difficulties: Sequence[float], correct: Sequence[bool], config: AdaptiveConfig = DEFAULT_CONFIG
) -> tuple[float, float]:
    """EAP ability estimate and posterior SD for answers to items of the given difficulties."""
    grid = np.linspace(config.grid_min, config.grid_max, config.grid_points)
    log_post = -0.5 * ((grid - config.prior_mean) / config.prior_sd) ** 2
    for b, right in zip(difficulties, correct, strict=True):
        # log P(correct) = -log(1 + e^-(θ-b)); logaddexp keeps it stable far from b.
        z = grid - b
        log_post += -np.logaddexp(0.0, -z) if right else -np.logaddexp(0.0, z)
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    theta = float(np.dot(grid, weights))
    se = float(math.sqrt(np.dot((grid - theta) ** 2, weights)))
    return theta, se


def cefr_band(theta: float) -> CefrLevel:
    """The CEFR level whose slice of the logit scale holds θ (the same cuts as the items)."""
    return CEFR_LEVELS[bisect.bisect_right(LEVEL_CUTS, theta)]


def _answered(
    responses: Sequence[Response], items: Sequence[EnglishItem]
) -> tuple[dict[str, EnglishItem], list[EnglishItem]]:
    by_id = {item.id: item for item in items}
    seen: set[str] = set()
    answered = []
    for response in responses:
        if response.item_id not in by_id:
            raise UnknownItemError(f"unknown English item {response.item_id!r}")
        if response.item_id in seen:
            raise RepeatedItemError(f"English item {response.item_id!r} was answered twice")
        seen.add(response.item_id)
        answered.append(by_id[response.item_id])
    return by_id, answered


def estimate_level(
    responses: Sequence[Response],
    *,
    items: Sequence[EnglishItem] | None = None,
    config: AdaptiveConfig = DEFAULT_CONFIG,
) -> LevelEstimate:
    """θ, its standard error and the CEFR band from the responses so far."""
    _, answered = _answered(responses, english_items() if items is None else items)
    theta, se = eap([i.difficulty for i in answered], [r.correct for r in responses], config)
    return LevelEstimate(theta, se, cefr_band(theta))


def _trailing_run(answered: Sequence[EnglishItem]) -> int:
    run = 0
    for item in reversed(answered):
        if item.kind != answered[-1].kind:
            break
        run += 1
    return run


def _allowed(
    item: EnglishItem,
    answered: Sequence[EnglishItem],
    unused: Sequence[EnglishItem],
    remaining: int,
    config: AdaptiveConfig,
) -> bool:
    last = answered[-1] if answered else None
    if item.kind == "reading":
        group = sum(other.passage == item.passage for other in unused)
        # A passage starts only if all its unused items fit, and never right after another one.
        return group <= remaining and (last is None or last.kind != "reading")
    return last is None or last.kind != item.kind or _trailing_run(answered) < config.max_kind_run


def _nearest(
    candidates: Sequence[EnglishItem], theta: float, difficulty: dict[str, float] | None = None
) -> list[EnglishItem]:
    """Every candidate at the smallest distance from θ: the ones a seed chooses between."""
    where = difficulty or {item.id: item.difficulty for item in candidates}
    # Rounding makes float noise in |b - θ| count as a tie, which the seeded rank then breaks.
    distance = {item.id: round(abs(where[item.id] - theta), 9) for item in candidates}
    best = min(distance.values())
    return [item for item in candidates if distance[item.id] == best]


def _closest(
    candidates: Sequence[EnglishItem],
    theta: float,
    seed: int,
    difficulty: dict[str, float] | None = None,
) -> EnglishItem:
    order = sorted(item.id for item in candidates)
    random.Random(seed).shuffle(order)
    rank = {item_id: position for position, item_id in enumerate(order)}
    return min(_nearest(candidates, theta, difficulty), key=lambda item: rank[item.id])


def _unit_difficulty(
    candidates: Sequence[EnglishItem], unused: Sequence[EnglishItem]
) -> dict[str, float]:
    """A reading item stands for its whole passage, so it is placed at the passage's mean."""
    groups: dict[str, list[float]] = {}
    for other in unused:
        if other.passage is not None:
            groups.setdefault(other.passage, []).append(other.difficulty)
    return {
        item.id: item.difficulty
        if item.passage is None
        else sum(groups[item.passage]) / len(groups[item.passage])
        for item in candidates
    }


# Chooses among items at one step: one item under a seed, or every item some seed could give.
_Pick = Callable[[Sequence[EnglishItem], float, "dict[str, float] | None"], list[EnglishItem]]


def _next(
    responses: Sequence[Response], pool: list[EnglishItem], config: AdaptiveConfig, pick: _Pick
) -> list[EnglishItem]:
    """The items the next step may give (see `next_item`), as chosen by `pick`."""
    _, answered = _answered(responses, pool)
    remaining = config.max_items - len(answered)
    if remaining <= 0:
        return []
    used = {item.id for item in answered}
    unused = [item for item in pool if item.id not in used]
    theta, _ = eap([i.difficulty for i in answered], [r.correct for r in responses], config)
    last = answered[-1] if answered else None
    if last is not None and last.passage is not None:
        same_passage = [item for item in unused if item.passage == last.passage]
        if same_passage:
            return pick(same_passage, theta, None)
    candidates = [i for i in unused if _allowed(i, answered, unused, remaining, config)]
    if not candidates:
        # Kind balancing is a preference; a small or exhausted pool may only offer one kind.
        # Whole passages are still required, so a half-given passage never appears.
        candidates = [
            i
            for i in unused
            if i.passage is None or sum(o.passage == i.passage for o in unused) <= remaining
        ]
    if not candidates:
        return []
    out: list[EnglishItem] = []
    for chosen in pick(candidates, theta, _unit_difficulty(candidates, unused)):
        # A passage opens with its item nearest θ.
        group = [i for i in unused if i.passage == chosen.passage]
        out += [chosen] if chosen.passage is None else pick(group, theta, None)
    return list({item.id: item for item in out}.values())


def next_item(
    responses: Sequence[Response],
    *,
    items: Sequence[EnglishItem] | None = None,
    config: AdaptiveConfig = DEFAULT_CONFIG,
) -> EnglishItem | None:
    """The next item to give, or None once `max_items` are answered or nothing fits."""
    pool = english_items() if items is None else list(items)

    def seeded(
        candidates: Sequence[EnglishItem], theta: float, where: dict[str, float] | None
    ) -> list[EnglishItem]:
        return [_closest(candidates, theta, config.seed, where)]

    chosen = _next(responses, pool, config, seeded)
    return chosen[0] if chosen else None


# How many items of a real check count as its opening: practice never shows them.
OPENING_DEPTH = 3


def opening_items(
    items: Sequence[EnglishItem] | None = None, *, depth: int = OPENING_DEPTH
) -> frozenset[str]:
    """Every item a real check can give among its first `depth`, whatever the seed, the
    answers and the check's length, with the whole passage of any reading item among them.

    The tree of first steps is walked with every tie a seed could break either way, for
    each test length up to the bank's size (a short check skips passages that do not fit).
    """
    pool = english_items() if items is None else list(items)
    sizes = Counter(item.passage for item in pool if item.passage is not None)
    # Past `depth` plus the longest passage, a longer check starts exactly as that one does.
    longest = depth + max(sizes.values(), default=1)
    ids: set[str] = set()
    for max_items in range(1, min(len(pool), longest) + 1):
        config = AdaptiveConfig(max_items=max_items)
        frontier: list[list[Response]] = [[]]
        for _ in range(depth):
            grown = []
            for responses in frontier:
                for item in _next(responses, pool, config, _nearest):
                    ids.add(item.id)
                    grown += [[*responses, Response(item.id, right)] for right in (True, False)]
            frontier = grown
    passages = {item.passage for item in pool if item.id in ids and item.passage is not None}
    return frozenset(item.id for item in pool if item.id in ids or item.passage in passages)


def practice_items(
    items: Sequence[EnglishItem] | None = None, *, depth: int = OPENING_DEPTH
) -> list[EnglishItem]:
    """The items a practice check draws from: the bank without a real check's openings, so
    practising never previews the items every real interview starts with."""
    if items is None:
        return list(_bank_practice_items(depth))
    opening = opening_items(items, depth=depth)
    return [item for item in items if item.id not in opening]


@functools.cache
def _bank_practice_items(depth: int) -> tuple[EnglishItem, ...]:
    """The bank's practice items, worked out once per process (the bank never changes)."""
    return tuple(practice_items(english_items(), depth=depth))


def is_finished(
    responses: Sequence[Response],
    *,
    items: Sequence[EnglishItem] | None = None,
    config: AdaptiveConfig = DEFAULT_CONFIG,
) -> bool:
    """True once the check should stop: `max_items` answered or no item left to give."""
    return next_item(responses, items=items, config=config) is None
