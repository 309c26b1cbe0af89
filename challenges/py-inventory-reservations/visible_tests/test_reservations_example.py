"""Example test the candidate may run."""

import asyncio

from reservations import InventoryStore, ReservationService


def test_reservation_reduces_available_stock():
    store = InventoryStore({"sofa": 6})
    service = ReservationService(store)
    asyncio.run(service.reserve("sofa", 2, "cart-1"))
    assert asyncio.run(store.available("sofa")) == 4
