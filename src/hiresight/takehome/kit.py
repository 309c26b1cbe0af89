"""The panel's presentation and Q&A kit: probing questions drawn from one evaluated version.

Every question is built from the version's own facts (its measured scores, wall time and
memory beside each baseline's, reproducibility, its tests, requirements the sandbox lacked,
the portfolio checklist, the README's sections and the code's imports) and carries the numbers
it cites. The offline template engine drafts them by default; when an LLM provider is
configured, it rewords each one through the AI-provider interface, and a rewording that drops
a cited number is discarded for the template's text. Each question, and the kit, says which
drafted it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.types import AnswerKind
from hiresight.takehome.review import MIB, headline
from hiresight.takehome.schemas import EvaluationReport

TEMPLATE = "template"
README_SECTIONS = {
    "results": ("result", "evaluation", "metric", "score"),
    "approach": ("approach", "method", "model", "how it works", "design"),
    "how to run": ("usage", "run", "getting started", "install", "how to"),
    "limitations": ("limitation", "future", "next steps", "trade-off", "tradeoff", "caveat"),
}
EMBEDDING_HINTS = ("sentence_transformers", "gensim", "word2vec", "fasttext", "transformers")


@dataclass(frozen=True)
class KitQuestion:
    """One question for the panel, the topic it probes and the figures it cites."""

    topic: str
    text: str
    cites: list[str] = field(default_factory=list)
    drafted_by: str = TEMPLATE


@dataclass(frozen=True)
class Kit:
    """The questions, in the order a panel might ask them, and who drafted the kit."""

    questions: list[KitQuestion]
    drafted_by: str


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s"


def _mib(peak: int | None) -> str:
    return f"{peak / MIB:.0f} MiB" if peak is not None else "an unmeasured amount of memory"


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def readme_sections(readme: str) -> set[str]:
    """Which of the expected README sections (by heading words) the README has."""
    headings = [
        line.lstrip("#").strip().lower() for line in readme.splitlines() if line.startswith("#")
    ]
    return {
        section
        for section, words in README_SECTIONS.items()
        if any(word in heading for heading in headings for word in words)
    }


def template_questions(
    report: EvaluationReport, readme: str, files: dict[str, str | None]
) -> list[KitQuestion]:
    """The offline engine: questions from the report's, the README's and the code's facts."""
    questions: list[KitQuestion] = []
    run = report.run
    metric = headline(report)
    own = run.scores.all.values.get(metric) if run.scores is not None else None
    for name, base in sorted(report.baselines.items()):
        theirs = base.scores.all.values.get(metric) if base.scores is not None else None
        if own is None or theirs is None:
            continue
        gain = own - theirs
        cites = [_seconds(run.wall_ms), _mib(run.peak_memory_bytes), _seconds(base.wall_ms),
                 _signed(gain)]  # fmt: skip
        label = metric.upper()
        if gain > 0:
            text = (
                f"Your model took {cites[0]} and {cites[1]} against {cites[2]} for the {name} "
                f"baseline, for {cites[3]} {label}: when is that worth it?"
            )
        else:
            text = (
                f"Your solution scored {own:.4f} {label}, {cites[3]} against the {name} baseline "
                f"({theirs:.4f}), in {cites[0]} against {cites[2]}: what would you change first?"
            )
            cites.insert(0, f"{own:.4f}")
        questions.append(KitQuestion("cost against the baseline", text, cites))
    if run.scores is not None and metric:
        warm = run.scores.warm.values.get(metric)
        cold = run.scores.cold.values.get(metric)
        if warm is not None and cold is not None and run.scores.cold.users:
            cites = [f"{warm:.4f}", f"{cold:.4f}", str(run.scores.cold.users)]
            questions.append(
                KitQuestion(
                    "cold start",
                    f"{metric.upper()} is {cites[0]} for users with history and {cites[1]} for "
                    f"the {cites[2]} users without: what do new users get, and why?",
                    cites,
                )
            )
        users = run.scores.all.users
        cites = [_seconds(run.wall_ms), str(users), _mib(run.peak_memory_bytes)]
        questions.append(
            KitQuestion(
                "scale",
                f"Predicting for {cites[1]} users took {cites[0]} and {cites[2]}: how would this "
                "scale to 10x the users and jobs, and what breaks first?",
                cites,
            )
        )
    elif run.status != "ok":
        detail = run.problems[0].message if run.problems else run.status
        questions.append(
            KitQuestion(
                "failed run",
                f"The scored run ended as {run.status} ({detail}): what happened, and how would "
                "you have caught it before submitting?",
                [run.status],
            )
        )
    code = "\n".join(text for path, text in files.items() if path.endswith(".py") and text)
    if not any(hint in code for hint in EMBEDDING_HINTS):
        questions.append(
            KitQuestion(
                "alternatives",
                "Why not a pre-trained embedding of the jobs' text? What would it add over "
                "what you built, and what would it cost here?",
            )
        )
    repro = report.reproducibility
    if repro is not None and not repro.same_output:
        questions.append(
            KitQuestion(
                "reproducibility",
                "A second run wrote different predictions: where does the randomness come from, "
                "and how would you pin it?",
                ["different predictions"],
            )
        )
    tests = report.tests
    if tests is not None:
        if tests.status == "no_tests" or tests.tests == 0:
            questions.append(
                KitQuestion(
                    "tests",
                    "The submission has no tests: which part would you test first, and how "
                    "would you know the metric code is right?",
                    ["0 tests"],
                )
            )
        elif tests.failed or tests.errors:
            cites = [f"{tests.failed} failed", f"{tests.errors} errors", f"{tests.tests} tests"]
            questions.append(
                KitQuestion(
                    "tests",
                    f"Your own tests ran with {cites[0]} and {cites[1]} out of {cites[2]}: "
                    "what do the failures say?",
                    cites,
                )
            )
    missing = [req.name for req in report.requirements if not req.available]
    if missing:
        names = ", ".join(missing)
        questions.append(
            KitQuestion(
                "dependencies",
                f"Your requirements list {names}, which the evaluation environment does not "
                "have: what did you use it for, and how did the code run without it?",
                missing,
            )
        )
    if not readme.strip():
        questions.append(
            KitQuestion(
                "documentation",
                "There is no README: walk us through how to run it and what you would want a "
                "reviewer to know.",
                ["no README"],
            )
        )
    else:
        absent = [s for s in README_SECTIONS if s not in readme_sections(readme)]
        if absent:
            questions.append(
                KitQuestion(
                    "documentation",
                    f"The README has no section on {', '.join(absent)}: tell us what it would say.",
                    absent,
                )
            )
    if report.review is not None:
        failed = [check.name for check in report.review.checks if check.max and not check.passed]
        if failed:
            questions.append(
                KitQuestion(
                    "engineering",
                    f"The checklist found these missing: {', '.join(failed)}. Which would you "
                    "add first in a team setting, and why?",
                    failed,
                )
            )
    return questions


def _cites_all(text: str, cites: list[str]) -> bool:
    squashed = re.sub(r"\s+", " ", text)
    return all(cite in squashed for cite in cites)


def draft_kit(
    report: EvaluationReport,
    *,
    readme: str,
    files: dict[str, str | None],
    provider: AIProvider | None = None,
) -> Kit:
    """The kit: template questions, reworded by an LLM provider when one is configured."""
    questions = template_questions(report, readme, files)
    if provider is None or provider.name == "rubric":
        return Kit(questions, TEMPLATE)
    drafted: list[KitQuestion] = []
    for index, question in enumerate(questions):
        try:
            reply = provider.generate_question(
                AnswerKind.SYSTEM_DESIGN,
                topic=f"a take-home submission's {question.topic}",
                claim=question.text,
                seed=index,
            ).text
        except Exception:
            reply = ""
        if reply and reply != question.text and _cites_all(reply, question.cites):
            drafted.append(KitQuestion(question.topic, reply, question.cites, provider.name))
        else:
            drafted.append(question)
    used = {q.drafted_by for q in drafted}
    return Kit(drafted, provider.name if provider.name in used else TEMPLATE)


def readme_of(files: dict[str, str | None]) -> str:
    """The top-level README's text, if any."""
    for path, text in sorted(files.items()):
        if "/" not in path and path.lower().startswith("readme") and text is not None:
            return text
    return ""
