"""How well a profile text finds the jobs a candidate fits: the accuracy-set résumés against a
seeded catalogue of job postings from eleven role families.

A job's relevance to a résumé is the share of its required skills that the résumé's
hand-written expected skills cover (0..1), so the labels never come from the parser or the
model. Each profile text variant is embedded, ranks the catalogue by cosine, and is scored by
NDCG@10 against those grades, with the top-10 overlap against the reference variant. Used by
`test_profile_text.py` and by `benchmarks/embeddings.py`.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from hiresight.embeddings.base import Embedder
from hiresight.matching.service import profile_text
from hiresight.profiles.claims import top_claims
from hiresight.profiles.parsed import ParsedResume
from hiresight.profiles.parser import parse_resume
from hiresight.profiles.skills import find_skills
from hiresight.ranking.metrics import ndcg_at_k
from tests.profiles.resume_render import load_resumes, to_txt

FAMILIES: dict[str, list[str]] = {
    "Python Backend Engineer": [
        "Python", "Django", "FastAPI", "PostgreSQL", "Redis", "Celery", "REST", "Docker",
    ],
    "Go Platform Engineer": ["Go", "gRPC", "Kubernetes", "PostgreSQL", "Kafka", "Docker"],
    "Java Backend Engineer": ["Java", "Spring Boot", "Kotlin", "MySQL", "Kafka", "Hibernate"],
    ".NET Engineer": ["C#", "ASP.NET Core", "SQL Server", "Azure", "Entity Framework"],
    "Node.js Engineer": ["Node.js", "TypeScript", "Express", "MongoDB", "GraphQL", "REST"],
    "Frontend Engineer": ["React", "TypeScript", "CSS", "Next.js", "Redux", "JavaScript"],
    "Data Engineer": ["Spark", "Airflow", "SQL", "dbt", "Snowflake", "Kafka", "Python"],
    "Machine Learning Engineer": ["PyTorch", "scikit-learn", "pandas", "MLflow", "NumPy"],
    "Site Reliability Engineer": [
        "Kubernetes", "Terraform", "AWS", "Prometheus", "Ansible", "Linux", "OpenTelemetry",
    ],
    "Mobile Engineer": ["Swift", "iOS", "Kotlin", "Android", "Flutter"],
    "Search Engineer": ["Elasticsearch", "Redis", "caching", "Java", "OpenTelemetry"],
}  # fmt: skip
LEVELS = ("Junior", "Mid-level", "Senior", "Staff")
JOBS_PER_FAMILY = 10
K = 10


@dataclass(frozen=True)
class EvalJob:
    text: str
    required: frozenset[str]  # canonical taxonomy names


@dataclass(frozen=True)
class Parts:
    """What a profile text is built from, as `matching.service.candidate_profile` reads it."""

    headline: str
    summary: str
    skills: list[str]
    claims: list[str]


@dataclass(frozen=True)
class VariantResult:
    ndcg: float  # mean NDCG@10 over the résumés
    overlap: float  # mean share of the top 10 shared with the reference variant
    tokens_max: int
    tokens_median: float


Variant = Callable[[Parts, Embedder], str]


def canonical(names: list[str]) -> frozenset[str]:
    """Taxonomy names of skills as a posting or résumé writer would spell them."""
    return frozenset(skill for name in names for skill in find_skills(name, "skills"))


def catalogue(seed: int = 7) -> list[EvalJob]:
    """Postings worded like the demo market's: title, duties, nice-to-haves, skills."""
    rng = random.Random(seed)
    every = sorted({s for pool in FAMILIES.values() for s in pool})
    jobs = []
    for title, pool in FAMILIES.items():
        for _ in range(JOBS_PER_FAMILY):
            required = rng.sample(pool, rng.randint(3, 5))
            nice = [s for s in rng.sample(every, 2) if s not in required]
            text = (
                f"{rng.choice(LEVELS)} {title}. You will build and run services with "
                f"{', '.join(required)}. Nice to have: {', '.join(nice)}. "
                f"Skills: {', '.join(required)}"
            )
            jobs.append(EvalJob(text, canonical(required)))
    return jobs


def parts_of(parsed: ParsedResume) -> Parts:
    """The profile fields a fresh upload gives: first role as headline, summary, skills, claims."""
    summary = " ".join(line for s in parsed.sections if s.kind == "summary" for line in s.lines)
    return Parts(
        headline=parsed.roles[0].label if parsed.roles else "",
        summary=summary,
        skills=[s.name for s in parsed.skills],
        claims=[c.text for c in top_claims(parsed, 3)],
    )


def resume_set() -> list[tuple[Parts, frozenset[str]]]:
    """Each accuracy-set résumé as profile parts, with its expected skills."""
    out = []
    for doc in load_resumes():
        parsed = parse_resume(to_txt(doc), f"{doc['id']}.txt")
        truth = list(doc["expected"]["skills"])
        out.append((parts_of(parsed), canonical(truth) | frozenset(truth)))
    return out


def previous_text(p: Parts, embedder: Embedder) -> str:
    """The format served before the clip: summary before skills, whole (the model cuts at 256)."""
    return f"{p.headline}. {p.summary} Skills: {', '.join(p.skills)}. {' '.join(p.claims[:3])}"


def served_text(max_tokens: int | None) -> Variant:
    """Today's `profile_text`, clipped to `max_tokens` (None: whole)."""

    def build(p: Parts, embedder: Embedder) -> str:
        text = profile_text(p.headline, p.summary, p.skills, p.claims)
        return text if max_tokens is None else embedder.clip(text, max_tokens)

    return build


def evaluate(
    embedder: Embedder, variants: Mapping[str, Variant], *, count_tokens: Callable[[str], int]
) -> dict[str, VariantResult]:
    """Score every variant; the first one is the reference for the top-10 overlap."""
    jobs = catalogue()
    job_vectors = embedder.embed([j.text for j in jobs])
    ndcgs: dict[str, list[float]] = {name: [] for name in variants}
    overlaps: dict[str, list[float]] = {name: [] for name in variants}
    tokens: dict[str, list[int]] = {name: [] for name in variants}
    for parts, truth in resume_set():
        grades = {i: len(j.required & truth) / len(j.required) for i, j in enumerate(jobs)}
        reference: set[int] | None = None
        for name, build in variants.items():
            text = build(parts, embedder)
            tokens[name].append(count_tokens(text))
            scores = job_vectors @ embedder.embed([text])[0]
            ranked = [int(i) for i in np.argsort(-scores, kind="stable")]
            ndcgs[name].append(ndcg_at_k(ranked, grades, K))
            top = set(ranked[:K])
            reference = top if reference is None else reference
            overlaps[name].append(len(top & reference) / K)
    return {
        name: VariantResult(
            ndcg=statistics.mean(ndcgs[name]),
            overlap=statistics.mean(overlaps[name]),
            tokens_max=max(tokens[name]),
            tokens_median=statistics.median(tokens[name]),
        )
        for name in variants
    }
