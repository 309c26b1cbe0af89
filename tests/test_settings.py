"""Settings: defaults, environment variables, masking, and the production secret guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from hiresight.cli import proxy_options
from hiresight.settings import DEFAULT_SECRET_KEY, Settings


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    """Without a database URL, SQLite lives in the data directory."""
    s = Settings(data_dir=tmp_path)
    assert s.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'hiresight.db'}"


def test_environment_variables_use_the_hiresight_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """HIRESIGHT_PORT configures the port."""
    monkeypatch.setenv("HIRESIGHT_PORT", "9123")
    assert Settings().port == 9123


def test_production_refuses_the_default_secret() -> None:
    """Outside dev mode the public default secret key is refused with a clear message."""
    with pytest.raises(ValidationError, match="HIRESIGHT_SECRET_KEY"):
        Settings(env="production", secret_key=SecretStr(DEFAULT_SECRET_KEY))


def test_production_accepts_a_real_secret() -> None:
    """A real secret key passes the guard."""
    s = Settings(env="production", secret_key=SecretStr("x" * 40))
    assert s.env == "production"


def test_public_view_masks_secrets_and_url_passwords() -> None:
    """`hiresight config` never prints the secret key or a database password."""
    s = Settings(
        secret_key=SecretStr("top-secret-value"),
        database_url="postgresql+psycopg://app:hunter2@db:5432/hiresight",
    )
    view = s.public_view()
    assert view["secret_key"] == "********"
    assert "hunter2" not in str(view)
    assert view["database_url"] == "postgresql+psycopg://app:********@db:5432/hiresight"


def test_no_proxy_is_trusted_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """HIRESIGHT_FORWARDED_ALLOW_IPS is empty unless set: serve believes no X-Forwarded-For."""
    monkeypatch.delenv("HIRESIGHT_FORWARDED_ALLOW_IPS", raising=False)
    assert proxy_options(Settings()) == {"proxy_headers": False, "forwarded_allow_ips": ""}
    monkeypatch.setenv("HIRESIGHT_FORWARDED_ALLOW_IPS", "10.0.0.2, 10.0.0.3")
    assert proxy_options(Settings()) == {
        "proxy_headers": True,
        "forwarded_allow_ips": "10.0.0.2, 10.0.0.3",
    }


def test_login_throttle_settings_refuse_zero() -> None:
    """A zero failure allowance or window is refused: it would slow every first login."""
    for field in ("login_max_failures", "login_max_failures_per_ip", "login_window_minutes"):
        with pytest.raises(ValidationError, match=field):
            Settings(**{field: 0})


def test_the_pool_must_cover_the_requests_in_flight() -> None:
    """A pool smaller than the in-flight cap is refused: requests would wait for connections."""
    with pytest.raises(ValidationError, match="DB_POOL_SIZE"):
        Settings(db_pool_size=10, max_requests_in_flight=20)
    assert Settings(db_pool_size=20, max_requests_in_flight=20).db_pool_size == 20
