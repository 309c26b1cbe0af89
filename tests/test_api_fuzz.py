"""A bounded schemathesis run over /api/openapi.json: no generated request may cause a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from hiresight import migrate
from hiresight.accounts import service as accounts
from hiresight.app import create_app
from hiresight.demo import service as demo
from hiresight.settings import Settings


class _FuzzTarget:
    def __init__(self, app: FastAPI, headers: dict[str, dict[str, str]]) -> None:
        self.app = app
        self.headers = headers


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_FuzzTarget]:
    """The app on a demo database, with API tokens for a candidate and a recruiter."""
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'fuzz.db'}"
    migrate.upgrade(url)
    app = create_app(Settings(database_url=url, data_dir=tmp, env="test", log_level="ERROR"))
    headers = {}
    with app.state.session_factory() as session, session.begin():
        demo.load(session)
        for user in demo.demo_users(session):
            token, _ = accounts.create_api_token(session, user=user, name="fuzz")
            headers[user.role.value] = {"Authorization": f"Bearer {token}"}
    yield _FuzzTarget(app, headers)
    app.state.engine.dispose()


FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples every run: CI is not the place for flaky discoveries
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["candidate", "recruiter"])
def test_no_server_errors(role: str, fuzz_target: _FuzzTarget) -> None:
    """Generated requests to every operation, with a candidate's or recruiter's token, never 5xx.

    Hypothesis drives each operation directly: schemathesis's pytest plugin does not yet run
    on this pytest version.
    """
    api_schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_target.app)
    headers = fuzz_target.headers[role]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        exercise()
