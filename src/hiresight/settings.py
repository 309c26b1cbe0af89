"""One typed settings object, read from `HIRESIGHT_*` variables and an optional `.env`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default is public knowledge; outside dev mode the app refuses to start with it,
# as full-stack-fastapi-template does, because sessions and CSRF tokens are derived from it.
DEFAULT_SECRET_KEY = "dev-insecure-change-me"
_EXPERIMENT = re.compile(r"[\w.-]+:[\w.-]+=\d+(\.\d+)?(,[\w.-]+=\d+(\.\d+)?)*")


class Settings(BaseSettings):
    """Every setting Hiresight reads. Each field is an environment variable `HIRESIGHT_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="HIRESIGHT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["dev", "production", "test"] = Field(
        "dev", description="Run mode. Outside `dev` the default secret key is refused."
    )
    secret_key: SecretStr = Field(
        SecretStr(DEFAULT_SECRET_KEY),
        description="Signs session and CSRF tokens. Set it in production.",
    )
    data_dir: Path = Field(
        Path(".hiresight"), description="Where the SQLite database, uploads and models are kept."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL. Default: SQLite in the data directory. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/db",
    )
    host: str = Field("127.0.0.1", description="Address `hiresight serve` binds to.")
    port: int = Field(8000, description="Port `hiresight serve` listens on.")
    workers: int = Field(1, description="Web processes started by `hiresight serve`.")
    max_requests_in_flight: int = Field(
        40,
        ge=1,
        le=1000,
        description="Requests one web process works on at once; past it a request waits in a "
        "short queue (`max_requests_queued`, `request_queue_seconds`), then is answered 503 "
        "`server_busy` with Retry-After, and the room's autosave retries then. "
        "Keep it at or below `db_pool_size`.",
    )
    max_requests_queued: int = Field(
        40,
        ge=0,
        le=10000,
        description="Requests one web process keeps waiting for a slot past "
        "`max_requests_in_flight` (they hold no thread and no connection); past it a request "
        "is answered 503 at once. 0: no queue.",
    )
    request_queue_seconds: float = Field(
        1.0,
        ge=0,
        le=30,
        description="Longest wait in that queue before a request is answered 503 "
        "`server_busy`: a burst shorter than this becomes latency instead of 503s. 0: no queue.",
    )
    db_pool_size: int = Field(
        40,
        ge=1,
        le=500,
        description="Database connections kept per process (10 more may open for background "
        "work). At least `max_requests_in_flight`, so no request waits for a connection.",
    )
    db_pool_timeout: float = Field(
        2.0,
        gt=0,
        le=60,
        description="Seconds a request waits for a database connection before it is answered "
        "503 `server_busy` with Retry-After.",
    )
    busy_retry_after: int = Field(
        2, ge=1, le=120, description="The Retry-After seconds of a 503 `server_busy` answer."
    )
    max_json_body_bytes: int = Field(
        1024 * 1024,
        ge=64 * 1024,
        description="Largest request body of any route but the file uploads (JSON, forms); "
        "larger ones answer 413 `body_too_large`. The largest legitimate one is a code-review "
        "draft (at most 512 KiB of JSON).",
    )
    parse_workers: int = Field(
        2, ge=1, le=32, description="Worker processes that parse résumés and portfolio uploads."
    )
    parse_cpu_seconds: int = Field(
        10, ge=1, description="CPU seconds one parse may use before it is `*_too_complex`."
    )
    parse_memory_mb: int = Field(
        1024, ge=64, description="Memory (address space) one parse may add to its worker."
    )
    parse_timeout_seconds: float = Field(
        30.0, gt=0, description="Wall-clock seconds one parse may take before it is stopped."
    )
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_json: bool = Field(True, description="Write logs as JSON lines (false: human-readable).")
    session_ttl_hours: int = Field(12, description="How long a login session lasts.")
    cookie_secure: bool = Field(False, description="Mark cookies Secure (set true behind HTTPS).")
    login_max_failures: int = Field(
        5,
        ge=1,
        description="Failed logins for one account from one client address before that address "
        "must wait (1 s, doubling with each further failure). Other addresses are not slowed.",
    )
    login_max_failures_per_ip: int = Field(
        100,
        ge=1,
        description="Failed logins from one client address, over all accounts, before that "
        "address must wait (1 s, doubling with each further failure): the cap on spraying.",
    )
    login_window_minutes: int = Field(
        1440, ge=1, description="How long a failed login counts towards the delays."
    )
    login_max_delay_seconds: int = Field(
        900, ge=1, description="The longest wait a failing address is given (Retry-After)."
    )
    forwarded_allow_ips: str = Field(
        "",
        description="Proxy addresses (comma-separated, or `*`) whose X-Forwarded-For and "
        "X-Forwarded-Proto `hiresight serve` believes; empty: trust no proxy and use the "
        "connection's address (login throttling counts per address).",
    )
    redis_url: str = Field(
        "redis://127.0.0.1:6379/0", description="Redis for background work at scale."
    )
    task_backend: Literal["inline", "dramatiq"] = Field(
        "inline",
        description="Where background work (grading) runs: `inline` threads in the web process, "
        "or `dramatiq` on Redis, consumed by `hiresight worker` processes.",
    )
    task_namespace: str = Field(
        "hiresight",
        description="The Redis key prefix of the Dramatiq queues: web processes and workers "
        "that share it share work (a second deployment on the same Redis needs its own).",
    )
    worker_threads: int = Field(2, description="Threads per `hiresight worker` process.")
    work_lease_seconds: float = Field(
        30.0,
        gt=0,
        description="How long a claim on pending background work (a grade, a score) holds "
        "without renewal; a dead process's work is claimed again once its lease expires.",
    )
    work_reconcile_seconds: float = Field(
        5.0,
        gt=0,
        description="How often each web process (inline backend) and each worker looks for "
        "due or orphaned background work.",
    )
    work_max_failures: int = Field(
        5,
        ge=1,
        description="Failed tries before background work is marked `failed` for an admin "
        "to retry; tries in between back off exponentially.",
    )
    webhook_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=60,
        description="Seconds a webhook receiver has to answer before the try counts as failed.",
    )
    webhook_retry_hours: float = Field(
        24.0,
        gt=0,
        le=72,
        description="How long a failing webhook delivery is retried (exponential backoff with "
        "full jitter) before it is `dead` and waits for an admin's replay.",
    )
    audit_retention_days: int = Field(
        365,
        # At least six months: the EU AI Act (Art. 19, 26(6)) asks deployers of high-risk
        # systems to keep the logs that long.
        ge=183,
        description="Days audit-log entries are kept; the daily maintenance (or `hiresight "
        "audit prune --apply`) deletes older ones. Never below 183 (six months).",
    )
    scheduled_maintenance: bool = Field(
        True,
        description="Run the daily maintenance in-process: erase accounts past their deletion "
        "grace period, apply organizations' retention periods and prune the audit log, once a "
        "day across all processes that run background work (false: leave it to cron).",
    )
    maintenance_hour: int = Field(
        3,
        ge=0,
        le=23,
        description="Hour of the day (UTC) from which the daily maintenance is due; the first "
        "poll after it runs it.",
    )
    scoring_warm_up: bool = Field(
        True,
        description="Load the scoring models when a process that runs background work "
        "starts, instead of on its first job; `/readyz` reports the state.",
    )
    ai_provider: Literal["rubric", "openai"] = Field(
        "rubric",
        description="Who grades answers and writes questions: the offline `rubric` engine, or "
        "`openai`: any OpenAI-compatible chat endpoint (falls back to rubric, and says so).",
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible chat endpoint, e.g. http://127.0.0.1:11434/v1."
    )
    llm_model: str | None = Field(None, description="Model name for the chat endpoint.")
    llm_api_key: SecretStr | None = Field(None, description="Bearer token for the chat endpoint.")
    llm_timeout: float = Field(30.0, description="Seconds before an LLM call falls back to rubric.")
    embeddings_provider: Literal["onnx", "openai"] = Field(
        "onnx",
        description="`onnx`: the bundled offline MiniLM; `openai`: a /v1/embeddings endpoint.",
    )
    embeddings_base_url: str | None = Field(None, description="Embeddings endpoint root.")
    embeddings_model: str | None = Field(None, description="Remote embeddings model name.")
    embeddings_api_key: SecretStr | None = Field(
        None, description="Bearer token for the embeddings endpoint."
    )
    embeddings_threads: int | None = Field(
        None,
        ge=1,
        le=64,
        description="onnxruntime threads of the offline embedder; unset: min(2, CPUs). "
        "1 leaves a core free on a box busy with other work.",
    )
    embeddings_precision: Literal["int8", "fp32"] = Field(
        "int8",
        description="Offline embedder arithmetic for profiles and jobs: `int8` (a quantised "
        "copy of the model, ~0.7x the time, cosine ~0.99 to fp32) or `fp32` (the model as "
        "shipped). Answer scoring always uses fp32, the precision it is calibrated at.",
    )
    embeddings_cache_dir: Path | None = Field(
        None,
        description="Where the derived int8 embedding model is cached; unset: "
        "~/.cache/hiresight/models ($XDG_CACHE_HOME respected).",
    )
    speech_provider: Literal["whisper", "openai"] = Field(
        "whisper",
        description="`whisper`: the bundled offline Whisper tiny.en; `openai`: an "
        "OpenAI-compatible /audio/transcriptions endpoint.",
    )
    speech_base_url: str | None = Field(None, description="Transcription endpoint root.")
    speech_model: str | None = Field(None, description="Remote transcription model name.")
    speech_api_key: SecretStr | None = Field(
        None, description="Bearer token for the transcription endpoint."
    )
    speech_timeout: float = Field(120.0, description="Seconds before a remote transcription fails.")
    speech_threads: int | None = Field(
        None, ge=1, le=64, description="CPU threads of the offline Whisper; unset: min(2, CPUs)."
    )

    recs_experiment: str | None = Field(
        None,
        description="An A/B test between rankers, `name:variant=weight,...`. A variant is `live` "
        "(the promoted model), `content` (the content ranker) or a model version such as "
        "`v0002`; e.g. `ranker-v2:live=50,v0002=50`. Assignment is by candidate hash.",
    )
    recs_latency_budget_ms: float = Field(
        50.0,
        description="A ranker slower than this is replaced by the content ranker for the "
        "request; the fallback is counted and marked in the response.",
    )
    recs_min_engaged: int = Field(
        200,
        description="Engaged impression rows `hiresight recs train` needs before it trains; "
        "below it the content ranker keeps serving (cold start).",
    )
    public_url: str | None = Field(
        None,
        description="The address people reach Hiresight at (e.g. `https://hire.example.com`), "
        "for links in e-mails and the partner API; unset: the address of the request.",
    )
    smtp_host: str | None = Field(
        None, description="SMTP server for invitation e-mails; unset: no e-mail is sent."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str | None = Field(None, description="SMTP login, if the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_from: str = Field(
        "hiresight@localhost", description="The From address of invitation e-mails."
    )
    smtp_starttls: bool = Field(
        True, description="Upgrade the SMTP connection with STARTTLS before logging in."
    )
    smtp_timeout: float = Field(
        10.0, gt=0, le=120, description="Seconds an SMTP connection or command may take."
    )
    deletion_grace_days: int = Field(
        14,
        ge=0,
        le=365,
        description="Days between a candidate's request to delete their account and its "
        "erasure by the daily maintenance (or `hiresight privacy erase-due`); the candidate can "
        "cancel until then.",
    )

    @field_validator("recs_experiment")
    @classmethod
    def _check_experiment(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        arms = [a.split("=") for a in value.partition(":")[2].split(",")]
        if (
            not _EXPERIMENT.fullmatch(value)
            or len({name for name, _ in arms}) != len(arms)
            or any(float(weight) <= 0 for _, weight in arms)
        ):
            raise ValueError(
                "HIRESIGHT_RECS_EXPERIMENT must look like `name:variant=weight,...` with "
                "distinct variants and positive weights, e.g. `ranker-v2:live=50,v0002=50`"
            )
        return value

    @model_validator(mode="after")
    def _pool_covers_requests(self) -> Settings:
        # A request holds one connection at most; a pool smaller than the requests in flight
        # makes requests wait for connections that others hold (see hiresight.db).
        if self.db_pool_size < self.max_requests_in_flight:
            raise ValueError(
                f"HIRESIGHT_DB_POOL_SIZE ({self.db_pool_size}) must be at least "
                f"HIRESIGHT_MAX_REQUESTS_IN_FLIGHT ({self.max_requests_in_flight})"
            )
        return self

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env == "production" and self.secret_key.get_secret_value() == DEFAULT_SECRET_KEY:
            raise ValueError(
                "HIRESIGHT_SECRET_KEY is the public development default; "
                "set a long random value before running with HIRESIGHT_ENV=production"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL actually used: the configured one or SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hiresight.db').resolve()}"

    def ai_options(self) -> dict[str, Any]:
        """Keyword arguments for `hiresight.scoring.providers.AISettings`."""
        return {
            "provider": self.ai_provider, "base_url": self.llm_base_url,
            "model": self.llm_model, "api_key": self.llm_api_key, "timeout": self.llm_timeout,
        }  # fmt: skip

    def embedding_options(self) -> dict[str, Any]:
        """Keyword arguments for `hiresight.embeddings.EmbeddingSettings`."""
        return {
            "provider": self.embeddings_provider, "base_url": self.embeddings_base_url,
            "model": self.embeddings_model, "api_key": self.embeddings_api_key,
            "threads": self.embeddings_threads, "precision": self.embeddings_precision,
            "cache_dir": self.embeddings_cache_dir,
        }  # fmt: skip

    def speech_options(self) -> dict[str, Any]:
        """Keyword arguments for `hiresight.speech.SpeechSettings`."""
        return {
            "provider": self.speech_provider, "base_url": self.speech_base_url,
            "model": self.speech_model, "api_key": self.speech_api_key,
            "timeout": self.speech_timeout, "threads": self.speech_threads,
        }  # fmt: skip

    def public_view(self) -> dict[str, Any]:
        """The effective settings with secrets masked, for `hiresight config`."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "********" if value.get_secret_value() else ""
            out[name] = str(value) if isinstance(value, Path) else value
        out["database_url"] = _mask_url_password(self.effective_database_url)
        out["redis_url"] = _mask_url_password(self.redis_url)
        return out


def _mask_url_password(url: str) -> str:
    """Hide the password part of a URL such as postgresql://user:secret@host/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user, colon, _password = creds.partition(":")
    return f"{scheme}://{user}{':********' if colon else ''}@{host}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
