"""Reading and writing an attempt's JSON columns as their stage's models, validated both ways.

A stored row that does not validate raises `AttemptDataError` (`attempt_data_invalid`) naming
the attempt and the column; asking for another stage's model is refused the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from hiresight.interviews.attempt_data.answers import (
    AnswerData,
    BehavioralAnswer,
    CodeReviewAnswer,
    EnglishAnswer,
    ResumeAnswer,
    SystemDesignAnswer,
)
from hiresight.interviews.attempt_data.stored import (
    BehavioralContent,
    BehavioralPrivate,
    CodeReviewContent,
    CodeReviewPrivate,
    CodeReviewResult,
    EnglishContent,
    EnglishPrivate,
    ResumeContent,
    ResumePrivate,
    StageContent,
    StageResult,
    StoredData,
    SystemDesignContent,
    SystemDesignPrivate,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.errors import AttemptDataError
from hiresight.interviews.models import StageAttempt

Content = (
    EnglishContent | ResumeContent | CodeReviewContent | SystemDesignContent | BehavioralContent
)
Private = (
    EnglishPrivate | ResumePrivate | CodeReviewPrivate | SystemDesignPrivate | BehavioralPrivate
)
Answer = EnglishAnswer | ResumeAnswer | CodeReviewAnswer | SystemDesignAnswer | BehavioralAnswer
Result = StageResult | CodeReviewResult

CONTENT: dict[StageKind, type[Content]] = {
    StageKind.english: EnglishContent,
    StageKind.resume: ResumeContent,
    StageKind.code_review: CodeReviewContent,
    StageKind.system_design: SystemDesignContent,
    StageKind.behavioral: BehavioralContent,
}
PRIVATE: dict[StageKind, type[Private]] = {
    StageKind.english: EnglishPrivate,
    StageKind.resume: ResumePrivate,
    StageKind.code_review: CodeReviewPrivate,
    StageKind.system_design: SystemDesignPrivate,
    StageKind.behavioral: BehavioralPrivate,
}
ANSWER: dict[StageKind, type[Answer]] = {
    StageKind.english: EnglishAnswer,
    StageKind.resume: ResumeAnswer,
    StageKind.code_review: CodeReviewAnswer,
    StageKind.system_design: SystemDesignAnswer,
    StageKind.behavioral: BehavioralAnswer,
}
RESULT: dict[StageKind, type[Result]] = {
    kind: CodeReviewResult if kind is StageKind.code_review else StageResult for kind in StageKind
}

M = TypeVar("M", bound=BaseModel)
C = TypeVar("C", bound=StageContent)
P = TypeVar("P", bound=StoredData)
A = TypeVar("A", bound=AnswerData)
R = TypeVar("R", bound=StageResult)


def _model(attempt: StageAttempt, column: str, kinds: Mapping[StageKind, type[M]]) -> type[M]:
    try:
        return kinds[attempt.stage]
    except KeyError:
        raise AttemptDataError(
            f"Attempt {attempt.id} has an unknown stage {attempt.stage!r}.",
            details={"attempt_id": attempt.id, "column": column},
        ) from None


def _expected(attempt: StageAttempt, column: str, model: type[M], wanted: type[Any] | None) -> None:
    if wanted is not None and not issubclass(model, wanted):
        raise AttemptDataError(
            f"Attempt {attempt.id} is a {attempt.stage.value} stage; its {column} is not "
            f"{wanted.__name__}.",
            details={"attempt_id": attempt.id, "column": column, "stage": attempt.stage.value},
        )


def _parse(attempt: StageAttempt, column: str, model: type[M], raw: Any) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise AttemptDataError(
            f"The stored {column} of attempt {attempt.id} ({attempt.stage.value}) cannot be read.",
            details={
                "attempt_id": attempt.id,
                "column": column,
                "errors": [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()[:10]],
            },
        ) from exc


def _read(
    attempt: StageAttempt, column: str, kinds: Mapping[StageKind, type[M]], wanted: type[Any] | None
) -> M:
    model = _model(attempt, column, kinds)
    _expected(attempt, column, model, wanted)
    return _parse(attempt, column, model, getattr(attempt, column))


@overload
def attempt_content(attempt: StageAttempt) -> Content: ...
@overload
def attempt_content(attempt: StageAttempt, model: type[C]) -> C: ...
def attempt_content(attempt: StageAttempt, model: type[Any] | None = None) -> Any:
    """The attempt's content, as its stage's model (or `model`, checked against the stage)."""
    return _read(attempt, "content", CONTENT, model)


@overload
def attempt_private(attempt: StageAttempt) -> Private: ...
@overload
def attempt_private(attempt: StageAttempt, model: type[P]) -> P: ...
def attempt_private(attempt: StageAttempt, model: type[Any] | None = None) -> Any:
    """The attempt's server-only data, as its stage's model (or `model`, checked)."""
    return _read(attempt, "private", PRIVATE, model)


@overload
def attempt_draft(attempt: StageAttempt) -> Answer: ...
@overload
def attempt_draft(attempt: StageAttempt, model: type[A]) -> A: ...
def attempt_draft(attempt: StageAttempt, model: type[Any] | None = None) -> Any:
    """The latest autosave, as its stage's answer model (or `model`, checked)."""
    return _read(attempt, "draft", ANSWER, model)


@overload
def attempt_answer(attempt: StageAttempt) -> Answer | None: ...
@overload
def attempt_answer(attempt: StageAttempt, model: type[A]) -> A | None: ...
def attempt_answer(attempt: StageAttempt, model: type[Any] | None = None) -> Any:
    """The final answer (None before there is one), as its stage's model (or `model`)."""
    if attempt.answer is None:
        _expected(attempt, "answer", _model(attempt, "answer", ANSWER), model)
        return None
    return _read(attempt, "answer", ANSWER, model)


@overload
def attempt_result(attempt: StageAttempt) -> Result | None: ...
@overload
def attempt_result(attempt: StageAttempt, model: type[R]) -> R | None: ...
def attempt_result(attempt: StageAttempt, model: type[Any] | None = None) -> Any:
    """What grading and scoring stored (None before anything was), as the stage's model."""
    if attempt.result is None:
        _expected(attempt, "result", _model(attempt, "result", RESULT), model)
        return None
    return _read(attempt, "result", RESULT, model)


def model_outline(private: Private) -> list[str]:
    """What a strong answer covers, for practice feedback: the model answer or the outline."""
    if isinstance(private, BehavioralPrivate):
        return private.model_answer
    if isinstance(private, SystemDesignPrivate):
        return private.reference_outline
    return []


def _write(
    attempt: StageAttempt, column: str, kinds: Mapping[StageKind, type[M]], data: BaseModel
) -> dict[str, Any]:
    model = _model(attempt, column, kinds)
    if type(data) is not model:
        raise AttemptDataError(
            f"A {type(data).__name__} cannot be stored as the {column} of a "
            f"{attempt.stage.value} stage.",
            details={"attempt_id": attempt.id, "column": column, "stage": attempt.stage.value},
        )
    # Fields assigned or lists changed in place since validation are checked again here, so a
    # value of the wrong type is an error below rather than a serialiser warning.
    stored: dict[str, Any] = data.model_dump(
        mode="json", exclude_unset=True, by_alias=True, warnings=False
    )
    _parse(attempt, column, model, stored)
    return stored


def set_content(attempt: StageAttempt, content: Content) -> None:
    """Store the attempt's content (validated; the model must be the stage's)."""
    attempt.content = _write(attempt, "content", CONTENT, content)


def set_private(attempt: StageAttempt, private: Private) -> None:
    """Store the attempt's server-only data (validated; the model must be the stage's)."""
    attempt.private = _write(attempt, "private", PRIVATE, private)


def set_result(attempt: StageAttempt, result: Result) -> None:
    """Store what grading and scoring found (validated; the model must be the stage's)."""
    attempt.result = _write(attempt, "result", RESULT, result)
