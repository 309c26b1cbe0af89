"""Load and validate the question banks in `data/*.toml`; lookup helpers for the interview."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from hiresight.banks.errors import BankDataError
from hiresight.banks.models import (
    BehavioralPrompt,
    EnglishBank,
    EnglishItem,
    Passage,
    QuestionBanks,
    ResumeClaimKind,
    ResumeTemplate,
    SystemDesignPrompt,
    WritingPrompt,
)

M = TypeVar("M", bound=BaseModel)

DATA_DIR = Path(__file__).resolve().parent / "data"
ENGLISH_FILES = ("english_grammar.toml", "english_vocabulary.toml", "english_reading.toml")

# Code-review challenges name their stacks finely ("asyncio", "express", "job-queue"); the
# design prompts use coarse tags. These aliases let a challenge's stacks be passed straight in.
TAG_ALIASES: dict[str, str] = {
    "asyncio": "async",
    "async-await": "async",
    "event-emitter": "async",
    "timers": "async",
    "node": "javascript",
    "node-http": "javascript",
    "express": "javascript",
    "fastapi": "python",
    "flask": "python",
    "starlette": "python",
    "sqlite": "sql",
    "postgresql": "sql",
    "job-queue": "queues",
    "workers": "queues",
    "smtp": "email",
    "streams": "streaming",
    "object-storage": "storage",
    "middleware": "rate-limiting",
    "inventory": "concurrency",
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BankDataError(f"{path.name}: question bank file is missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BankDataError(f"{path.name}: not valid TOML: {exc}") from exc


def _describe(exc: ValidationError, data: dict[str, Any], file: str, table: str = "") -> str:
    """`file: table[n] id='x' field: message` for every problem, so an editor can find it."""
    problems = []
    for err in exc.errors():
        # Row-list validation reports locations from the row index; prefix the table name.
        loc = ([table] if table else []) + list(err["loc"])
        where = ""
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            rows = data.get(loc[0])
            row = rows[loc[1]] if isinstance(rows, list) and loc[1] < len(rows) else {}
            item_id = row.get("id", "?") if isinstance(row, dict) else "?"
            where = f"{loc[0]}[{loc[1]}] id={item_id!r} "
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or "(item)"
        problems.append(f"{file}: {where}{field}: {err['msg']}")
    return "; ".join(problems)


def _load_rows(model: type[M], path: Path, table: str) -> list[M]:
    data = _read_toml(path)
    rows = data.get(table)
    if not isinstance(rows, list) or not rows:
        raise BankDataError(f"{path.name}: expected at least one [[{table}]] table")
    try:
        return TypeAdapter(list[model]).validate_python(rows)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise BankDataError(_describe(exc, data, path.name, table)) from exc


def _english_part(path: Path) -> EnglishBank:
    data = _read_toml(path)
    try:
        return EnglishBank.model_validate(data)
    except ValidationError as exc:
        raise BankDataError(_describe(exc, data, path.name)) from exc


def _load_english(data_dir: Path) -> EnglishBank:
    # Each file is validated on its own first so a bad item is reported with its own file name;
    # the merged bank then checks what spans files (passage references, unique ids).
    parts = [_english_part(data_dir / name) for name in ENGLISH_FILES]
    merged = {
        "passages": [p for part in parts for p in part.passages],
        "items": [i for part in parts for i in part.items],
    }
    try:
        return EnglishBank.model_validate(merged)
    except ValidationError as exc:
        raise BankDataError(f"english bank: {exc.errors()[0]['msg']}") from exc


def _check_unique(name: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise BankDataError(f"{name}: id {item_id!r} is used more than once")
        seen.add(item_id)


def _version(data_dir: Path) -> str:
    """A short content hash of every data file, stored with results so scores stay traceable."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_banks(data_dir: Path) -> QuestionBanks:
    """Read and validate every bank under `data_dir` (uncached; for tests and tooling)."""
    english = _load_english(data_dir)
    banks = QuestionBanks(
        version=_version(data_dir),
        english=english,
        writing=_load_rows(WritingPrompt, data_dir / "writing.toml", "prompts"),
        system_design=_load_rows(SystemDesignPrompt, data_dir / "system_design.toml", "prompts"),
        behavioral=_load_rows(BehavioralPrompt, data_dir / "behavioral.toml", "prompts"),
        resume=_load_rows(ResumeTemplate, data_dir / "resume.toml", "templates"),
    )
    _check_unique("english bank", [i.id for i in english.items] + [p.id for p in english.passages])
    _check_unique("writing.toml", (p.id for p in banks.writing))
    _check_unique("system_design.toml", (p.id for p in banks.system_design))
    _check_unique("behavioral.toml", (p.id for p in banks.behavioral))
    _check_unique("resume.toml", (t.id for t in banks.resume))
    return banks


@lru_cache(maxsize=1)
def load_banks() -> QuestionBanks:
    """The packaged question banks, validated once per process."""
    return read_banks(DATA_DIR)


def english_items() -> list[EnglishItem]:
    """Every English multiple-choice item, in bank order."""
    return list(load_banks().english.items)


def passages() -> dict[str, Passage]:
    """The reading passages keyed by id."""
    return {p.id: p for p in load_banks().english.passages}


def writing_prompts() -> list[WritingPrompt]:
    """Every English writing prompt."""
    return list(load_banks().writing)


def normalise_tags(tags: Iterable[str]) -> set[str]:
    """Lower-cased tags with challenge stack names mapped onto the bank's coarse tags."""
    out = set()
    for tag in tags:
        key = tag.strip().lower()
        out.add(key)
        out.add(TAG_ALIASES.get(key, key))
    return out


def system_design_prompts(tags: Iterable[str] = ()) -> list[SystemDesignPrompt]:
    """Design prompts ranked by how many tags they share with `tags` (bank order on ties)."""
    wanted = normalise_tags(tags)
    prompts = list(load_banks().system_design)
    # sorted() is stable, so equal overlaps keep the curated bank order.
    return sorted(prompts, key=lambda p: -len(wanted & set(p.tags)))


def behavioral_prompts(competency: str | None = None) -> list[BehavioralPrompt]:
    """Behavioural prompts, optionally only those for one competency."""
    prompts = load_banks().behavioral
    return [p for p in prompts if competency is None or p.competency == competency]


def prompt_by_id(prompt_id: str) -> SystemDesignPrompt | BehavioralPrompt | None:
    """The system-design or behavioural bank prompt with this id, or None."""
    banks = load_banks()
    prompts: list[SystemDesignPrompt | BehavioralPrompt] = [*banks.system_design, *banks.behavioral]
    return next((p for p in prompts if p.id == prompt_id), None)


def system_design_material(prompt: SystemDesignPrompt) -> dict[str, Any]:
    """The private rubric material an attempt keeps for a design prompt (what it is scored by)."""
    return {
        "prompt_id": prompt.id,
        "rubric": list(prompt.rubric),
        "reference_outline": list(prompt.reference_outline),
        "trade_offs": list(prompt.trade_offs),
    }


def behavioral_material(prompt: BehavioralPrompt, claim: str | None = None) -> dict[str, Any]:
    """The private rubric material an attempt keeps for a behavioural prompt and its claim."""
    return {
        "prompt_id": prompt.id,
        "rubric": list(prompt.rubric),
        "star": prompt.star.model_dump(),
        "model_answer": list(prompt.model_answer),
        "claim": claim,
    }


def resume_kind(claim_kind: str, *, vague: bool = False) -> ResumeClaimKind:
    """The template kind for a parsed résumé claim (profiles' kind plus its vague flag)."""
    if vague or claim_kind not in ("metric", "ownership", "technology"):
        return "vague"
    return claim_kind  # type: ignore[return-value]


def resume_templates(
    kind: ResumeClaimKind, *, available: Iterable[str] | None = None
) -> list[ResumeTemplate]:
    """Templates for one claim kind; with `available`, only those whose placeholders it covers."""
    templates = [t for t in load_banks().resume if t.claim_kind == kind]
    if available is None:
        return templates
    have = set(available)
    return [t for t in templates if t.fields <= have]
