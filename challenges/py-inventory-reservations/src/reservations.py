"""Cart reservations: hold stock for a shopper for a short time during checkout."""

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

HOLD_FOR = timedelta(minutes=15)


class OutOfStock(Exception):
    code = "out_of_stock"


@dataclass
class Reservation:
    id: int
    sku: str
    quantity: int
    cart_id: str
    expires_at: datetime


class InventoryStore:
    """Async access to the stock table; each call is a round-trip to the database."""

    def __init__(self, stock: dict[str, int]) -> None:
        self._stock = dict(stock)

    async def available(self, sku: str) -> int:
        await asyncio.sleep(0)
        return self._stock.get(sku, 0)

    async def set_available(self, sku: str, quantity: int) -> None:
        await asyncio.sleep(0)
        self._stock[sku] = quantity


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReservationService:
    def __init__(self, store: InventoryStore, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.active: dict[int, Reservation] = {}
        self._ids = itertools.count(1)
        self._locks: dict[str, asyncio.Lock] = {}

    async def reserve(self, sku: str, quantity: int, cart_id: str) -> Reservation:
        """Hold `quantity` units of `sku` for a cart, or raise OutOfStock."""
        lock = asyncio.Lock()
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        async with lock:
            available = await self.store.available(sku)
            if quantity >= available:
                raise OutOfStock(f"only {available} of {sku} left")
            await self.store.set_available(sku, available - quantity)

        reservation = Reservation(
            id=next(self._ids),
            sku=sku,
            quantity=quantity,
            cart_id=cart_id,
            expires_at=datetime.utcnow() + HOLD_FOR,
        )
        self.active[reservation.id] = reservation
        return reservation

    async def release_expired(self) -> list[int]:
        """Return stock held by reservations whose hold has run out."""
        now = self.clock()
        released = []
        for reservation in list(self.active.values()):
            if reservation.expires_at <= now:
                async with self._locks.setdefault(reservation.sku, asyncio.Lock()):
                    available = await self.store.available(reservation.sku)
                    restored = available + reservation.quantity
                    await self.store.set_available(reservation.sku, restored)
                del self.active[reservation.id]
                released.append(reservation.id)
        return released
