"""Hidden tests for checkout reservations."""

import asyncio
from datetime import UTC, datetime, timedelta

from reservations import InventoryStore, OutOfStock, ReservationService

START = datetime(2024, 11, 29, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


def make(stock):
    store = InventoryStore(stock)
    return store, ReservationService(store, clock=FakeClock())


async def attempt(service, sku, quantity, cart):
    try:
        await service.reserve(sku, quantity, cart)
        return True
    except OutOfStock:
        return False


def test_concurrent_reservations_do_not_oversell():
    store, service = make({"tv-55": 5})

    async def scenario():
        return await asyncio.gather(*(attempt(service, "tv-55", 2, f"cart-{n}") for n in range(3)))

    results = asyncio.run(scenario())
    assert sorted(results) == [False, True, True]
    assert asyncio.run(store.available("tv-55")) == 1


def test_concurrent_reservations_leave_correct_stock():
    store, service = make({"mug": 10})

    async def scenario():
        return await asyncio.gather(*(attempt(service, "mug", 2, f"cart-{n}") for n in range(4)))

    assert asyncio.run(scenario()) == [True, True, True, True]
    assert asyncio.run(store.available("mug")) == 2


def test_last_unit_can_be_reserved():
    store, service = make({"lamp": 1})
    reservation = asyncio.run(service.reserve("lamp", 1, "cart-1"))
    assert reservation.quantity == 1
    assert asyncio.run(store.available("lamp")) == 0


def test_whole_stock_can_be_reserved_at_once():
    store, service = make({"chair": 4})
    asyncio.run(service.reserve("chair", 4, "cart-1"))
    assert asyncio.run(store.available("chair")) == 0


def test_more_than_stock_is_refused():
    store, service = make({"chair": 4})
    assert asyncio.run(attempt(service, "chair", 5, "cart-1")) is False
    assert asyncio.run(store.available("chair")) == 4


def test_expiry_uses_service_clock():
    _, service = make({"desk": 3})
    reservation = asyncio.run(service.reserve("desk", 1, "cart-1"))
    assert reservation.expires_at == START + timedelta(minutes=15)


def test_expired_hold_returns_stock():
    store, service = make({"desk": 4})
    clock = service.clock
    first = asyncio.run(service.reserve("desk", 2, "cart-1"))
    clock.now = START + timedelta(minutes=10)
    asyncio.run(service.reserve("desk", 1, "cart-2"))
    clock.now = START + timedelta(minutes=16)
    assert asyncio.run(service.release_expired()) == [first.id]
    assert asyncio.run(store.available("desk")) == 3
    assert list(service.active) == [2]
