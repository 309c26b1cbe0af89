"""Typed attempt data: the stored shapes of every stage kind read, write back unchanged, and a
row that does not validate gives `attempt_data_invalid`, never a KeyError."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.grading.report import GradedTest, GradeReport
from hiresight.interviews import grading, scoring
from hiresight.interviews.attempt_data import answers, columns
from hiresight.interviews.attempt_data.answers import CodeReviewAnswer
from hiresight.interviews.attempt_data.columns import (
    attempt_answer,
    attempt_content,
    attempt_draft,
    attempt_private,
    attempt_result,
    set_content,
    set_private,
    set_result,
)
from hiresight.interviews.attempt_data.stored import (
    BehavioralPrivate,
    CodeReviewContent,
    CodeReviewPrivate,
    CodeReviewResult,
    EnglishContent,
    EnglishPrivate,
    McQuestion,
    PracticeFeedback,
    ResumePrivate,
    StageResult,
    TextQuestion,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.errors import AnswerShapeError, AttemptDataError
from hiresight.interviews.models import StageAttempt

PRACTICE = {
    "score": 62.5, "points_missed": ["Names a metric"],
    "missed": [{"point": "Names a metric", "closest": None}], "notes": ["n"],
    "model_outline": ["Situation"], "pacing": 0.8,
    "structure": {"situation": True, "task": False, "action": True, "result": False},
}  # fmt: skip
REPORT = GradeReport(
    challenge_id="py-orders-1",
    status="ok",
    tests=[GradedTest(id="t1", passed=True, status="passed", bug="b1")],
    score=50.0,
)

# The columns each stage kind stores, as `interviews.questions` and the services write them.
SHAPES: dict[StageKind, dict[str, Any]] = {
    StageKind.english: {
        "content": {
            "instructions": "Answer each multiple-choice question, then write the short text.",
            "questions": [
                {"id": "g1", "type": "mc", "text": "Pick one", "options": ["a", "b", "c", "d"]},
                {"id": "r1", "type": "mc", "text": "Read", "options": ["a", "b", "c", "d"],
                 "passage": "A short passage."},
            ],
            "mc_total": 12,
            "writing": {"id": "w1", "prompt": "Write", "min_words": 80, "max_words": 150},
        },
        "private": {
            "adaptive_seed": 42, "max_items": 12,
            "responses": [{"item_id": "g1", "choice": 2, "correct": False}],
        },
        "draft": {"answers": {"g1": 2}, "writing": "My text."},
        "answer": {"answers": {"g1": 2}, "writing": "My text."},
        "result": {"practice": PRACTICE},
    },
    StageKind.resume: {
        "content": {
            "instructions": "Answer with specifics.",
            "questions": [
                {"id": "r1", "type": "text", "text": "Tell me about X", "claim": "Built X"},
                {"id": "r1-f1", "type": "text", "text": "Which numbers?", "follow_up_of": "r1"},
            ],
        },
        "private": {
            "follow_ups": {"r1": ["What did you measure?"]},
            "answered": {"r1": "I built it."},
            "rubric_by_question": {"r1": ["Names what they built"]},
        },
        "draft": {"answers": {"r1": "I built it.", "r1-f1": ""}},
        "answer": {"answers": {"r1": "I built it."}},
        "result": None,
    },
    StageKind.code_review: {
        "content": {
            "instructions": "Flag the bugs.",
            "challenge": {
                "id": "py-orders-1", "title": "Orders", "language": "python",
                "scenario": "Orders API", "stacks": ["fastapi"], "files": {"orders.py": "x = 1\n"},
                "visible_tests": ["test_orders.py"], "bug_classes": ["off-by-one", "other"],
            },
            "questions": [{"id": "code", "type": "code_review", "text": "Orders API"}],
        },
        "private": {"challenge_id": "py-orders-1"},
        "draft": {"files": {"orders.py": "x = 2\n"}, "flags": [], "explanation": ""},
        "answer": {
            "files": {"orders.py": "x = 2\n"},
            "flags": [{"file": "orders.py", "start_line": 1, "end_line": 1, "class": "other"}],
            "explanation": "The problem, the fix and its impact.",
        },
        "result": {
            "grade": REPORT.model_dump(mode="json"),
            "candidate": REPORT.for_candidate().model_dump(mode="json"),
            "practice": PRACTICE,
        },
    },
    StageKind.system_design: {
        "content": {
            "instructions": "Think out loud.",
            "questions": [{"id": "sd1", "type": "text", "text": "What breaks first?"}],
        },
        "private": {
            "prompt_id": "sd-cache", "rubric": ["Caching"], "reference_outline": ["Measure"],
            "trade_offs": ["Staleness"],
        },
        "draft": {},
        "answer": {"answers": {"sd1": "The database."}},
        "result": {"practice": PRACTICE},
    },
    StageKind.behavioral: {
        "content": {
            "instructions": "Answer as a STAR story.",
            "questions": [{"id": "b1", "type": "text", "text": "Tell me about a conflict."}],
        },
        "private": {
            "prompt_id": "bh-conflict", "rubric": ["Owns it"],
            "star": {"situation": "s", "task": "t", "action": "a", "result": "r"},
            "model_answer": ["Situation"], "claim": None,
        },
        "draft": {"answers": {"b1": "Situation: ..."}, "client_only": {"cursor": 3}},
        "answer": {"answers": {"b1": "Situation: ..."}},
        "result": None,
    },
}  # fmt: skip


def _attempt(kind: StageKind, **columns: Any) -> StageAttempt:
    data = copy.deepcopy(SHAPES[kind])
    data.update(columns)
    return StageAttempt(id=7, stage=kind, **data)


@pytest.mark.parametrize("kind", list(StageKind))
def test_every_stage_kind_reads_its_stored_shape_and_writes_it_back_unchanged(
    kind: StageKind,
) -> None:
    """Each column reads as the stage's own model, and storing it again gives the same JSON."""
    attempt = _attempt(kind)
    content, private = attempt_content(attempt), attempt_private(attempt)
    assert type(content) is columns.CONTENT[kind]
    assert type(private) is columns.PRIVATE[kind]
    set_content(attempt, content)
    set_private(attempt, private)
    assert attempt.content == SHAPES[kind]["content"]
    assert attempt.private == SHAPES[kind]["private"]
    assert attempt_draft(attempt).stored() == SHAPES[kind]["draft"]
    answer = attempt_answer(attempt)
    assert answer is not None
    assert answer.stored() == SHAPES[kind]["answer"]
    result = attempt_result(attempt)
    if SHAPES[kind]["result"] is None:
        assert result is None
    else:
        assert result is not None
        set_result(attempt, result)
        assert attempt.result == SHAPES[kind]["result"]


def test_typed_fields_carry_the_stored_values() -> None:
    """A few values read through the models, by attribute rather than by string key."""
    english = _attempt(StageKind.english)
    content = attempt_content(english, EnglishContent)
    assert isinstance(content.questions[1], McQuestion)
    assert content.questions[1].passage == "A short passage."
    assert content.writing is not None
    assert content.writing.max_words == 150
    assert attempt_private(english, EnglishPrivate).responses[0].correct is False
    review = _attempt(StageKind.code_review)
    assert attempt_private(review, CodeReviewPrivate).challenge_id == "py-orders-1"
    answer = attempt_answer(review, CodeReviewAnswer)
    assert answer is not None
    assert answer.flags is not None
    assert answer.flags[0].bug_class == "other"
    assert grading.patched_files(answer) == {"orders.py": "x = 2\n"}
    result = attempt_result(review, CodeReviewResult)
    assert result is not None
    assert result.candidate is not None
    assert result.candidate.bugs_total == REPORT.for_candidate().bugs_total
    assert result.practice is not None
    assert result.practice.pacing == 0.8


def test_a_grade_written_from_the_report_is_stored_whole() -> None:
    """The grader's report is stored with every field (defaults too), as it was before."""
    attempt = _attempt(StageKind.code_review, result=None)
    set_result(attempt, CodeReviewResult(grade=REPORT, candidate=REPORT.for_candidate()))
    assert attempt.result == {
        "grade": REPORT.model_dump(mode="json"),
        "candidate": REPORT.for_candidate().model_dump(mode="json"),
    }


# Shapes written by older code, or by tests' factories, that must still read.
OLD_SHAPES: list[tuple[StageKind, str, Any]] = [
    # Résumé rows from before each question kept its own rubric points.
    (StageKind.resume, "private", {"follow_ups": {"r1": []}, "answered": {}}),
    # Questions stored without a type are free-text questions.
    (StageKind.behavioral, "content", {"questions": [{"id": "b1", "text": "A hard release?"}]}),
    # Partial rows the scoring tests build: responses alone, a challenge with only its id.
    (StageKind.english, "private", {"responses": [{"item_id": "g1", "correct": True}]}),
    (StageKind.english, "content", {"questions": []}),
    (StageKind.code_review, "content", {"challenge": {"id": "py-orders-1"}}),
    (StageKind.behavioral, "private", {"model_answer": ["Name the situation"]}),
    # Practice feedback from before each missed point came with its closest sentence.
    (StageKind.system_design, "result", {"practice": {"score": 10.0, "points_missed": ["x"],
                                                      "notes": [], "model_outline": []}}),
    # A code review graded but not yet scored.
    (StageKind.code_review, "result", {"grade": REPORT.model_dump(mode="json")}),
    # An autosave of keys no stage reads (the room may keep its own state there).
    (StageKind.resume, "draft", {"x": "kept", "r": 3}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "column", "stored"), OLD_SHAPES)
def test_older_stored_shapes_still_read_and_write_back_unchanged(
    kind: StageKind, column: str, stored: Any
) -> None:
    """Keys a row never had are defaulted when read and left out when it is written again."""
    attempt = _attempt(kind, **{column: copy.deepcopy(stored)})
    if column == "content":
        set_content(attempt, attempt_content(attempt))
    elif column == "private":
        set_private(attempt, attempt_private(attempt))
    elif column == "result":
        result = attempt_result(attempt)
        assert result is not None
        set_result(attempt, result)
    else:
        assert attempt_draft(attempt).stored() == stored
    assert getattr(attempt, column) == stored


def test_defaults_fill_what_old_rows_lack() -> None:
    """An old résumé row has no per-question rubric points; old feedback no closest sentences."""
    resume = _attempt(StageKind.resume, private={"follow_ups": {}, "answered": {}})
    assert attempt_private(resume, ResumePrivate).rubric_by_question == {}
    design = _attempt(StageKind.system_design, result={"practice": {"score": 10.0}})
    result = attempt_result(design, StageResult)
    assert result is not None
    assert result.practice == PracticeFeedback(score=10.0)
    untyped = _attempt(StageKind.behavioral, content={"questions": [{"id": "b1", "text": "?"}]})
    (question,) = attempt_content(untyped).questions
    assert isinstance(question, TextQuestion)
    assert question.type == "text"


MALFORMED: list[tuple[StageKind, str, Any]] = [
    (StageKind.code_review, "private", {}),  # no challenge id: was a KeyError when grading
    (StageKind.code_review, "private", {"challenge_id": "c", "solution": "leaked"}),
    (StageKind.english, "content", {"questions": [{"id": "q", "type": "essay", "text": "?"}]}),
    (StageKind.english, "private", {"responses": [{"item_id": "g1"}]}),
    (StageKind.resume, "private", {"answered": ["not", "a", "mapping"]}),
    (StageKind.code_review, "answer", {"files": ["orders.py"]}),
    (StageKind.code_review, "result", {"grade": {"status": "ok"}}),
    (StageKind.behavioral, "content", "not an object"),
]


@pytest.mark.parametrize(("kind", "column", "stored"), MALFORMED)
def test_a_malformed_stored_row_gives_a_clear_error(
    kind: StageKind, column: str, stored: Any
) -> None:
    """`attempt_data_invalid` naming the attempt and the column, not a KeyError or TypeError."""
    attempt = _attempt(kind, **{column: stored})
    reader = {
        "content": attempt_content,
        "private": attempt_private,
        "answer": attempt_answer,
        "result": attempt_result,
    }[column]
    with pytest.raises(AttemptDataError) as caught:
        reader(attempt)
    assert caught.value.code == "attempt_data_invalid"
    assert caught.value.status_code == 500
    assert caught.value.details["attempt_id"] == 7
    assert caught.value.details["column"] == column
    assert f"attempt 7 ({kind.value})" in caught.value.message


def test_grading_a_row_without_a_challenge_id_gives_the_clear_error() -> None:
    """The example-test run reads the challenge id through the model too."""
    attempt = _attempt(StageKind.code_review, private={})
    with pytest.raises(AttemptDataError, match="private of attempt 7"):
        grading.run_examples(attempt, {})


def test_scoring_a_row_without_a_challenge_id_gives_the_clear_error() -> None:
    """Stored-attempt scoring reads through the models too: the work fails with the code."""
    with pytest.raises(AttemptDataError, match="private of attempt 7"):
        scoring.compute_scores(_attempt(StageKind.code_review, private={}))


def test_reading_as_another_stages_model_is_refused() -> None:
    """Asking an English attempt for a code review's private data is an error, not a guess."""
    with pytest.raises(AttemptDataError, match="english stage"):
        attempt_private(_attempt(StageKind.english), CodeReviewPrivate)
    with pytest.raises(AttemptDataError, match="english stage"):
        attempt_result(_attempt(StageKind.english, result=None), CodeReviewResult)


def test_writes_are_validated() -> None:
    """Another stage's model, or a value assigned after validation, is refused on write."""
    attempt = _attempt(StageKind.behavioral)
    with pytest.raises(AttemptDataError, match="cannot be stored"):
        set_private(attempt, CodeReviewPrivate(challenge_id="c"))
    private = attempt_private(attempt, BehavioralPrivate)
    private.rubric = "not a list"  # type: ignore[assignment]
    with pytest.raises(AttemptDataError):
        set_private(attempt, private)
    assert attempt.private == SHAPES[StageKind.behavioral]["private"]
    content = attempt_content(_attempt(StageKind.code_review), CodeReviewContent)
    content.questions = [*content.questions, TextQuestion(id="x", type="text", text="?")]
    review = _attempt(StageKind.code_review)
    set_content(review, content)
    assert review.content["questions"][-1] == {"id": "x", "type": "text", "text": "?"}


def test_a_draft_is_checked_and_stored_exactly_as_sent() -> None:
    """Keys no stage reads are kept; a key a stage reads with the wrong type is refused."""
    draft = {"answers": {"b1": "x", "g1": 2}, "flags": [{"file": "a.py", "class": "x"}], "z": [1]}
    assert answers.checked_answer(draft) == draft
    for bad in ({"files": ["a.py"]}, {"answers": {"b1": 1.5}}, {"writing": 3}, {"flags": "x"}):
        with pytest.raises(AnswerShapeError) as caught:
            answers.checked_answer(bad)
        assert caught.value.code == "invalid_answer"
        assert caught.value.status_code == 422


def test_autosave_refuses_an_answer_of_the_wrong_shape(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """The API answers 422 `invalid_answer`, stores nothing, and the attempt still reads."""
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["behavioral"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/behavioral/start", headers=headers
    ).json()
    r = client.put(
        f"/api/v1/attempts/{attempt['id']}/draft",
        headers=headers,
        json={"revision": 1, "draft": {"answers": ["not", "a", "mapping"]}},
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_answer"
    again = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
    assert again["draft"] == {}
    assert again["draft_revision"] == 0


@pytest.mark.parametrize("kind", list(StageKind))
def test_built_content_is_stored_in_the_known_shape(
    client: TestClient, headers: dict[str, str], db: Session, kind: StageKind
) -> None:
    """Each stage the API starts stores content and private data that read back unchanged."""
    session = client.post("/api/v1/interviews", headers=headers, json={"stages": [kind.value]})
    started = client.post(
        f"/api/v1/interviews/{session.json()['id']}/stages/{kind.value}/start", headers=headers
    )
    assert started.status_code == 200, started.text
    attempt = db.get(StageAttempt, started.json()["id"])
    assert attempt is not None
    stored_content, stored_private = copy.deepcopy(attempt.content), copy.deepcopy(attempt.private)
    assert set(stored_content) <= set(SHAPES[kind]["content"])
    assert set(stored_private) <= set(SHAPES[kind]["private"])
    set_content(attempt, attempt_content(attempt))
    set_private(attempt, attempt_private(attempt))
    assert attempt.content == stored_content == started.json()["content"]
    assert attempt.private == stored_private
