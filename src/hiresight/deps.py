"""Request dependencies every domain shares: the settings, the database session, record ids.

Who is asking lives in `accounts/deps.py`; the records a caller may see come through each
domain's own `deps.py` (jobs, interviews), built on that domain's `access.py` policy. Those are
the only way handlers get at users and records, so authentication and authorization are never
re-implemented in a handler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session, sessionmaker

from hiresight.db import single_writer
from hiresight.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _rollback_and_close(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One database session per request: committed when the handler succeeds, else rolled back.

    The session is bound lazily: making it touches no database, and it takes a connection in
    the thread hop that first queries. Ending it costs a hop only while a transaction is still
    open; a handler that committed in its own hop, or read nothing, ends here at no cost.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
    except BaseException:
        if session.in_transaction():
            # Shielded: a client that went away must not leave the transaction open.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_rollback_and_close, session)
        else:
            session.close()
        raise
    if session.in_transaction():
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_commit_and_close, session)
    else:
        session.close()


def release(session: Session) -> None:
    """Commit what the request did so far and give its connection back to the pool.

    FastAPI runs each sync dependency and the handler in a thread hop of its own. A connection
    held from one hop to the next waits for a free thread while holding a pool slot; with every
    thread waiting for a slot, the two pools deadlocked. Writes (a token's last use) commit
    through SQLite's single writer.
    """
    if session.new or session.dirty or session.deleted:
        with single_writer(session.get_bind()):
            session.commit()
    elif session.in_transaction():
        session.commit()


SettingsDep = Annotated[Settings, Depends(get_settings)]

# Record ids in paths are bounded to the 32-bit range every backend stores, so that an absurd id
# answers 422 (or 404) instead of overflowing the database driver.
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
# scope="function" commits before the response is sent. With the default ("request") the
# commit runs after the client already has its answer, so a browser following a login redirect
# could arrive before its session row exists.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
