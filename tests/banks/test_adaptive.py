"""Adaptive English item selection: EAP estimates, next-item rules and simulated test-takers."""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections.abc import Callable

import pytest
from scipy import integrate, stats

from hiresight.banks.adaptive import (
    AdaptiveConfig,
    Response,
    cefr_band,
    eap,
    estimate_level,
    is_finished,
    next_item,
    opening_items,
    practice_items,
    rasch_probability,
)
from hiresight.banks.errors import RepeatedItemError, UnknownItemError
from hiresight.banks.loader import english_items
from hiresight.banks.models import EnglishItem, EnglishKind

Answerer = Callable[[EnglishItem], bool]


def make_item(
    item_id: str, difficulty: float, kind: EnglishKind = "grammar", passage: str | None = None
) -> EnglishItem:
    """A synthetic item whose CEFR level follows from its difficulty."""
    return EnglishItem(
        id=item_id,
        kind=kind,
        level=cefr_band(difficulty),
        difficulty=difficulty,
        prompt="p",
        options=("a", "b", "c", "d"),
        answer=0,
        explanation="e",
        passage=passage,
    )


def run_check(
    answer: Answerer,
    config: AdaptiveConfig | None = None,
    items: list[EnglishItem] | None = None,
) -> list[tuple[EnglishItem, Response]]:
    """Give items until the check stops; return each item with its response."""
    cfg = config or AdaptiveConfig()
    given: list[tuple[EnglishItem, Response]] = []
    while (item := next_item([r for _, r in given], items=items, config=cfg)) is not None:
        given.append((item, Response(item.id, answer(item))))
    return given


def test_eap_without_responses_is_the_prior() -> None:
    """No answers: θ is the prior mean and the SE is the prior SD (within grid error)."""
    theta, se = eap([], [])
    assert theta == pytest.approx(0.0, abs=1e-9)
    assert se == pytest.approx(1.0, abs=0.01)


def test_eap_matches_numerical_integration() -> None:
    """The grid estimate agrees with scipy quadrature of the same posterior to 1e-3."""
    difficulties, correct = [0.0, 1.0, -0.5], [True, False, True]

    def posterior(t: float) -> float:
        like = math.prod(
            rasch_probability(t, b) if c else 1 - rasch_probability(t, b)
            for b, c in zip(difficulties, correct, strict=True)
        )
        return float(stats.norm.pdf(t)) * like

    norm = integrate.quad(posterior, -8, 8)[0]
    mean = integrate.quad(lambda t: t * posterior(t), -8, 8)[0] / norm
    var = integrate.quad(lambda t: (t - mean) ** 2 * posterior(t), -8, 8)[0] / norm
    theta, se = eap(difficulties, correct)
    assert theta == pytest.approx(mean, abs=1e-3)
    assert se == pytest.approx(math.sqrt(var), abs=1e-3)


def test_eap_is_symmetric() -> None:
    """One right answer at b=0 moves θ up exactly as far as one wrong answer moves it down."""
    up, se_up = eap([0.0], [True])
    down, se_down = eap([0.0], [False])
    assert up > 0
    assert up == pytest.approx(-down)
    assert se_up == pytest.approx(se_down)


@pytest.mark.parametrize(
    ("theta", "band"),
    [(-2.5, "A2"), (-1.8, "B1"), (-1.0, "B1"), (0.0, "B2"), (1.0, "C1"), (1.8, "C2"), (3.5, "C2")],
)
def test_cefr_band_cut_points(theta: float, band: str) -> None:
    """θ maps to the level whose logit slice holds it; a cut point belongs to the upper level."""
    assert cefr_band(theta) == band


def test_all_correct_drives_theta_and_difficulty_up() -> None:
    """Answering everything right raises θ after every item and ends at C1 or above."""
    given = run_check(lambda item: True)
    thetas = [estimate_level([r for _, r in given[: n + 1]]).theta for n in range(len(given))]
    assert all(b > a for a, b in itertools.pairwise(thetas))
    first = statistics.mean(item.difficulty for item, _ in given[:4])
    last = statistics.mean(item.difficulty for item, _ in given[-4:])
    assert last > first + 1.0
    assert estimate_level([r for _, r in given]).cefr_band in ("C1", "C2")


def test_all_wrong_drives_theta_and_difficulty_down() -> None:
    """Answering everything wrong lowers θ after every item and ends at A2."""
    given = run_check(lambda item: False)
    thetas = [estimate_level([r for _, r in given[: n + 1]]).theta for n in range(len(given))]
    assert all(b < a for a, b in itertools.pairwise(thetas))
    first = statistics.mean(item.difficulty for item, _ in given[:4])
    last = statistics.mean(item.difficulty for item, _ in given[-4:])
    assert last < first - 1.0
    assert estimate_level([r for _, r in given]).cefr_band == "A2"


def test_simulated_test_taker_is_recovered() -> None:
    """True θ=1.0 answering by the Rasch probability: θ̂ within ±0.7 of 1.0 over 200 seeded runs."""
    estimates = []
    for run in range(200):
        rng = random.Random(run)

        def answer(item: EnglishItem, rng: random.Random = rng) -> bool:
            return rng.random() < rasch_probability(1.0, item.difficulty)

        given = run_check(answer, AdaptiveConfig(seed=run))
        assert len(given) == 12
        estimates.append(estimate_level([r for _, r in given]).theta)
    assert abs(statistics.mean(estimates) - 1.0) <= 0.7
    assert statistics.mean(abs(e - 1.0) for e in estimates) <= 0.7


def test_passages_stay_together_and_kinds_are_balanced() -> None:
    """Passage items are consecutive and complete; no kind runs past the limit otherwise."""
    for run in range(30):
        rng = random.Random(run)

        def answer(item: EnglishItem, rng: random.Random = rng) -> bool:
            return rng.random() < 0.6

        given = run_check(answer, AdaptiveConfig(seed=run))
        sequence = [item for item, _ in given]
        bank = english_items()
        for position, item in enumerate(sequence):
            previous = sequence[position - 1] if position else None
            if item.passage is not None and previous is not None and previous.kind == "reading":
                assert previous.passage == item.passage, "two passages back to back"
            if position >= 2 and item.kind != "reading":
                assert {s.kind for s in sequence[position - 2 : position + 1]} != {item.kind}
        started = {item.passage for item in sequence if item.passage}
        for passage in started:
            members = [i for i, it in enumerate(sequence) if it.passage == passage]
            assert members == list(range(members[0], members[0] + len(members)))
            assert len(members) == sum(i.passage == passage for i in bank)


def test_stops_after_max_items() -> None:
    """With max_items=5 the check gives five items and then reports it is finished."""
    config = AdaptiveConfig(max_items=5)
    given = run_check(lambda item: True, config)
    assert len(given) == 5
    assert is_finished([r for _, r in given], config=config)
    assert not is_finished([r for _, r in given[:4]], config=config)


def test_passage_is_not_started_when_it_cannot_finish() -> None:
    """With one item left, a three-item passage is skipped for a stand-alone item."""
    pool = [make_item(f"r{i}", 0.0, "reading", "p") for i in range(3)]
    pool += [make_item("g1", -0.1), make_item("v1", 2.5, "vocabulary")]
    config = AdaptiveConfig(max_items=2)
    first = next_item([Response("g1", True)], items=pool, config=config)
    assert first is not None
    assert first.id == "v1"


def test_ties_are_broken_by_the_seed() -> None:
    """Equally distant items: the same seed picks the same item, different seeds vary."""
    pool = [make_item(f"g{i}", 0.0) for i in range(8)]
    picks = {
        seed: next_item([], items=pool, config=AdaptiveConfig(seed=seed)) for seed in range(10)
    }
    again = next_item([], items=pool, config=AdaptiveConfig(seed=3))
    assert again == picks[3]
    assert len({item.id for item in picks.values() if item}) > 1


def test_unknown_and_repeated_items_are_refused() -> None:
    """A response to an unknown item, or to the same item twice, is a clear error."""
    first = english_items()[0]
    with pytest.raises(UnknownItemError) as unknown:
        estimate_level([Response("no-such-item", True)])
    assert unknown.value.code == "question_item_unknown"
    with pytest.raises(RepeatedItemError) as repeated:
        next_item([Response(first.id, True), Response(first.id, False)])
    assert repeated.value.code == "question_item_repeated"


def test_config_rejects_nonsense() -> None:
    """A zero-length test or a non-positive prior SD is refused at construction."""
    with pytest.raises(ValueError, match="max_items"):
        AdaptiveConfig(max_items=0)
    with pytest.raises(ValueError, match="prior_sd"):
        AdaptiveConfig(prior_sd=0)


LADDER = [
    make_item(name, b)
    for name, b in [
        ("zero", 0.0), ("up", 0.6), ("down", -0.6), ("mid-up", 1.2), ("mid-down", -1.2),
        ("far-up", 2.0), ("far-down", -2.0),
    ]
]  # fmt: skip


@pytest.mark.parametrize(
    ("depth", "opening"),
    [
        (1, {"zero"}),
        # One answer moves θ to ±0.41: the items at ±0.6 come next.
        (2, {"zero", "up", "down"}),
        # Right twice: θ = 0.79, so 1.2; right then wrong: θ = 0.09, so -0.6 (and mirrored).
        (3, {"zero", "up", "down", "mid-up", "mid-down"}),
    ],
)
def test_opening_items_are_every_first_step_of_a_real_check(depth: int, opening: set[str]) -> None:
    """The first `depth` items any answers can lead to, worked out on a known ladder."""
    assert opening_items(LADDER, depth=depth) == opening
    assert {i.id for i in practice_items(LADDER, depth=depth)} == {i.id for i in LADDER} - opening


def test_opening_items_hold_every_tie_a_seed_could_break() -> None:
    """Two items equally near θ are both openings: some seed gives each."""
    items = [make_item("a", 0.0), make_item("b", 0.0), make_item("c", 1.5)]
    firsts = set()
    for seed in range(20):
        item = next_item([], items=items, config=AdaptiveConfig(seed=seed))
        assert item is not None
        firsts.add(item.id)
    assert firsts == {"a", "b"}
    assert opening_items(items, depth=1) == {"a", "b"}


def test_a_passage_among_the_openings_is_left_out_whole() -> None:
    """A reading passage that opens a real check is kept out of practice with all its items,
    and a check too short for the passage opens elsewhere."""
    items = [
        make_item("r1", 0.1, "reading", "p"), make_item("r2", 1.9, "reading", "p"),
        make_item("g1", -1.5), make_item("g2", 2.5),
    ]  # fmt: skip
    # A one-item check cannot start the two-item passage: it opens with g1 instead.
    assert opening_items(items, depth=1) == {"r1", "r2", "g1"}
    assert [i.id for i in practice_items(items, depth=1)] == ["g2"]


def test_practice_never_shows_the_items_a_real_check_starts_with() -> None:
    """On the real bank, for many seeds, lengths and every way of answering the first three,
    no item a real check gives first appears in the practice pool; and practice still has
    enough items for a full check."""
    practice = {i.id for i in practice_items()}
    assert len(practice) >= AdaptiveConfig().max_items
    for seed, max_items, pattern in itertools.product(
        range(0, 400, 7), (3, 6, 12), itertools.product((True, False), repeat=3)
    ):
        config = AdaptiveConfig(max_items=max_items, seed=seed)
        given: list[Response] = []
        for right in pattern:
            item = next_item(given, config=config)
            if item is None:
                break
            assert item.id not in practice, (seed, max_items, pattern, item.id)
            given.append(Response(item.id, right))
