"""The panel's question kit cites the version's own measured numbers (known answers)."""

from __future__ import annotations

from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.providers.rubric import RubricProvider
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score
from hiresight.takehome import schemas
from hiresight.takehome.kit import draft_kit, readme_of, readme_sections, template_questions
from hiresight.takehome.schemas import (
    EvaluationReport,
    MetricRow,
    Requirement,
    RunReport,
    Scores,
)

MIB = 1024 * 1024


def _scores(all_: float, warm: float, cold: float, cold_users: int = 81) -> Scores:
    return Scores(
        all=MetricRow(users=1141, values={"ndcg@10": all_, "recall@10": 0.02}),
        warm=MetricRow(users=1141 - cold_users, values={"ndcg@10": warm}),
        cold=MetricRow(users=cold_users, values={"ndcg@10": cold}),
    )


def _report(**extra: object) -> EvaluationReport:
    return EvaluationReport(
        assignment="Next job prediction",
        k=10,
        cutoffs=[10],
        run=RunReport(
            status="ok",
            wall_ms=2100,
            peak_memory_bytes=131 * MIB,
            scores=_scores(0.0176, 0.0181, 0.0105),
        ),
        baselines={
            "popularity": RunReport(
                status="ok", wall_ms=300, peak_memory_bytes=40 * MIB, scores=_scores(0.0026, 0, 0)
            )
        },
        **extra,  # type: ignore[arg-type]
    )


def test_the_cost_question_cites_time_memory_and_gain() -> None:
    questions = template_questions(_report(), readme="", files={})
    cost = next(q for q in questions if q.topic == "cost against the baseline")
    assert cost.text == (
        "Your model took 2.1 s and 131 MiB against 0.3 s for the popularity baseline, "
        "for +0.015 NDCG@10: when is that worth it?"
    )
    assert cost.cites == ["2.1 s", "131 MiB", "0.3 s", "+0.015"]
    assert cost.drafted_by == "template"


def test_cold_start_scale_and_alternatives() -> None:
    by_topic = {q.topic: q.text for q in template_questions(_report(), readme="", files={})}
    assert by_topic["cold start"] == (
        "NDCG@10 is 0.0181 for users with history and 0.0105 for the 81 users without: "
        "what do new users get, and why?"
    )
    assert "1141 users took 2.1 s and 131 MiB" in by_topic["scale"]
    assert "10x the users" in by_topic["scale"]
    assert "pre-trained embedding" in by_topic["alternatives"]
    assert by_topic["documentation"].startswith("There is no README")
    files: dict[str, str | None] = {"predict.py": "from sentence_transformers import X\n"}
    topics = {q.topic for q in template_questions(_report(), readme="# x", files=files)}
    assert "alternatives" not in topics  # it already uses an embedding


def test_missing_tests_requirements_and_readme_sections() -> None:
    report = _report(
        tests=schemas.TestCounts(status="no_tests"),
        requirements=[
            Requirement(line="torch==2.1", name="torch", available=False),
            Requirement(line="numpy", name="numpy", available=True),
        ],
    )
    readme = "# Next job\n\n## Approach\nCo-occurrence.\n\n## Usage\npython predict.py\n"
    assert readme_sections(readme) == {"approach", "how to run"}
    by_topic = {q.topic: q for q in template_questions(report, readme=readme, files={})}
    assert by_topic["tests"].text.startswith("The submission has no tests")
    assert by_topic["dependencies"].cites == ["torch"]
    assert "numpy" not in by_topic["dependencies"].text
    assert by_topic["documentation"].text == (
        "The README has no section on results, limitations: tell us what it would say."
    )


def test_a_worse_solution_is_asked_what_it_would_change() -> None:
    report = _report()
    report.run.scores = _scores(0.0010, 0.0010, 0.0)
    cost = next(
        q for q in template_questions(report, "", {}) if q.topic == "cost against the baseline"
    )
    assert "-0.002" in cost.text
    assert "what would you change first?" in cost.text


class _Echo(AIProvider):
    """A stand-in LLM: rewords by prefixing, or drops the numbers when told to."""

    name = "llm-test"

    def __init__(self, keep_numbers: bool) -> None:
        self.keep_numbers = keep_numbers

    def score_answer(
        self, kind: AnswerKind, question: Question, answer: Answer, rubric: list[RubricPoint]
    ) -> Score:
        raise NotImplementedError

    def generate_question(
        self, kind: AnswerKind, *, topic: str = "", claim: str | None = None, seed: int = 0
    ) -> Question:
        text = f"Panel: {claim}" if self.keep_numbers else "Tell us about your model."
        return Question(text=text, kind=kind, claim=claim)

    def generate_follow_up(
        self, question: Question, answer: Answer, claim: str | None = None
    ) -> str | None:
        return None


def test_the_kit_says_who_drafted_it() -> None:
    assert draft_kit(_report(), readme="", files={}).drafted_by == "template"
    rubric = draft_kit(_report(), readme="", files={}, provider=RubricProvider())
    assert rubric.drafted_by == "template"
    llm = draft_kit(_report(), readme="", files={}, provider=_Echo(keep_numbers=True))
    assert llm.drafted_by == "llm-test"
    assert llm.questions[0].text.startswith("Panel: Your model took 2.1 s")
    # A rewording that drops the cited numbers is discarded for the template's text.
    lossy = draft_kit(_report(), readme="", files={}, provider=_Echo(keep_numbers=False))
    cost = lossy.questions[0]
    assert (cost.drafted_by, cost.text[:20]) == ("template", "Your model took 2.1 ")


def test_readme_of_takes_the_top_level_readme() -> None:
    files: dict[str, str | None] = {"docs/README.md": "nested", "README.md": "top", "a.py": "x"}
    assert readme_of(files) == "top"
    assert readme_of({"a.py": "x"}) == ""
