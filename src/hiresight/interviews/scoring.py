"""Scoring stored interview attempts: every component with its rubric version and evidence.

`score_attempt` turns what the interview stored (questions, answers, private rubric material,
the grader's report, integrity events) into `AttemptScore` rows. It runs as recorded background
work (`tasks.outbox`) after an answer becomes final (after grading, for the code review), so
submitting never waits on the language models' start-up.
"""

from __future__ import annotations

import threading

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, object_session

from hiresight.banks.loader import english_items
from hiresight.banks.models import EnglishItem
from hiresight.db import make_session_factory, transaction
from hiresight.interviews import feedback
from hiresight.interviews.attempt_data.answers import (
    CodeReviewAnswer,
    EnglishAnswer,
    QuestionsAnswer,
)
from hiresight.interviews.attempt_data.columns import (
    RESULT,
    attempt_answer,
    attempt_content,
    attempt_private,
    attempt_result,
    set_result,
)
from hiresight.interviews.attempt_data.stored import (
    AskedQuestion,
    CodeReviewPrivate,
    CodeReviewResult,
    EnglishContent,
    EnglishPrivate,
    McResponse,
    PracticeFeedback,
    ResumePrivate,
    TextQuestion,
    follows,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.interviews.sessions import audit_attempt, organization_of
from hiresight.interviews.voice.models import AnswerRecording, RecordingState
from hiresight.scoring import communication
from hiresight.scoring.codereview import (
    BugSpec,
    CandidateFlag,
    PatchResult,
    flag_evidence,
    match_flags,
    patch_evidence,
    patch_score,
    score_stage,
)
from hiresight.scoring.english import MCResponse, assess_english
from hiresight.scoring.explanation import BugReference, explanation_rubric, score_explanation
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.rubrics import free_text_inputs
from hiresight.scoring.scorers import COVERS_SHARE
from hiresight.scoring.spoken import SPOKEN_VERSION, SpokenAssessment, assess_spoken
from hiresight.scoring.types import (
    CODE_REVIEW_FLAGS_VERSION,
    ENGLISH_MC_VERSION,
    RUBRIC_VERSIONS,
    Answer,
    AnswerKind,
    Evidence,
    Question,
    RubricPoint,
    Score,
)
from hiresight.speech.types import Transcript
from hiresight.tasks import outbox
from hiresight.tasks.outbox import Claim
from hiresight.tasks.reconciler import handler
from hiresight.webhooks import service as webhooks

_FREE_TEXT = {
    StageKind.resume: AnswerKind.RESUME,
    StageKind.system_design: AnswerKind.SYSTEM_DESIGN,
    StageKind.behavioral: AnswerKind.BEHAVIOURAL,
}


def provider() -> AIProvider:
    """The configured AI provider (the offline rubric engine unless an LLM is set up).

    It is the composition root's, built from the process's one `Settings` (hiresight.runtime).
    """
    # Imported here: the root registers this module's `after_final`, so it imports this module.
    from hiresight.runtime import current_root

    return current_root().ai


def _seconds_used(attempt: StageAttempt) -> float | None:
    end = attempt.submitted_at or attempt.deadline_at
    return max(0.0, (end - attempt.started_at).total_seconds())


def _seconds_allotted(attempt: StageAttempt) -> float:
    return max(1.0, (attempt.deadline_at - attempt.started_at).total_seconds())


def _merge(kind: AnswerKind, scores: list[Score], name: str) -> Score:
    """One stage score from per-question scores: the mean, with all evidence kept."""
    if not scores:
        return Score(
            value=0.0,
            kind=kind,
            rubric_version=RUBRIC_VERSIONS[kind],
            provider=name,
            notes=["no answer was given"],
        )
    return Score(
        value=round(sum(s.value for s in scores) / len(scores), 2),
        kind=kind,
        rubric_version=scores[0].rubric_version,
        provider=scores[0].provider,
        evidence=[e for s in scores for e in s.evidence],
        points_missed=list(dict.fromkeys(p for s in scores for p in s.points_missed)),
        closest=[c for s in scores for c in s.closest],
        sub_scores={
            k: round(sum(s.sub_scores.get(k, 0.0) for s in scores) / len(scores), 4)
            for k in scores[0].sub_scores
        },
        notes=[n for s in scores for n in s.notes],
        fallback=any(s.fallback for s in scores),
        fallback_reason=next((s.fallback_reason for s in scores if s.fallback_reason), None),
    )


def _threads(attempt: StageAttempt) -> list[tuple[AskedQuestion, str]]:
    """Each asked question with its answer, drill-down follow-ups folded into the one they
    follow: the follow-up answers are evidence for, and coverage of, that question."""
    answer = attempt_answer(attempt)
    answers = answer.answers if isinstance(answer, QuestionsAnswer) else {}
    questions = attempt_content(attempt).questions
    ids = {q.id for q in questions}
    roots = [q for q in questions if follows(q) not in ids]
    threads: dict[str, list[str]] = {q.id: [] for q in roots}
    for q in questions:
        root = q.id if q in roots else (follows(q) or q.id)
        text = str(answers.get(q.id) or "").strip()
        if text:
            threads[root].append(text)
    return [(q, "\n\n".join(threads[q.id])) for q in roots]


def _free_text(attempt: StageAttempt, ai: AIProvider) -> dict[str, Score]:
    kind = _FREE_TEXT[attempt.stage]
    threads = _threads(attempt)
    per_question = max(1.0, _seconds_allotted(attempt) / max(1, len(threads)))
    scores = []
    texts = []
    private = attempt_private(attempt)
    for q, text in threads:
        texts.append(text)
        # A résumé question has rubric points of its own (what its template checks).
        own = private.rubric_by_question if isinstance(private, ResumePrivate) else {}
        own_points = own.get(q.id)
        material = {**private.stored(), "rubric": own_points} if own_points else private.stored()
        claim = q.claim if isinstance(q, TextQuestion) else None
        question, rubric = free_text_inputs(
            kind, q.text, material, claim=claim, time_allotted_s=per_question
        )
        scores.append(ai.score_answer(kind, question, Answer(text=text), rubric))
    stage = _merge(kind, scores, "rubric")
    covered = sum(len(s.evidence) for s in scores)
    asked = covered + sum(len(s.points_missed) for s in scores)
    delivery = communication.assess(
        "\n\n".join(texts),
        time_used_s=_seconds_used(attempt),
        time_allotted_s=_seconds_allotted(attempt),
        covers_points=bool(asked) and covered >= COVERS_SHARE * asked,
    )
    comm = Score(
        value=round(100 * delivery.overall, 2),
        kind=kind,
        rubric_version="communication.v1",
        provider="rubric",
        # Quotes are from each question's own answer (offsets into that answer).
        evidence=[e for t in texts for e in communication.findings(t)],
        sub_scores=delivery.model_dump(exclude={"overall"}, exclude_none=True),
    )
    return {"stage": stage, "communication": comm}


def _mc_evidence(responses: list[McResponse], items: dict[str, EnglishItem]) -> list[Evidence]:
    """Each multiple-choice item missed: its prompt, the candidate's choice and the right one."""
    out = []
    for r in responses:
        item = items.get(r.item_id)
        if item is None or r.correct:
            continue
        choice = r.choice
        chose = (
            f"chose “{item.options[choice]}”"
            if isinstance(choice, int) and 0 <= choice < len(item.options)
            else "no valid choice"
        )
        quote = f"{chose}; the right answer is “{item.options[item.answer]}”"
        # Nothing of the writing sample is quoted: offsets 0–0 mark a quote from elsewhere.
        out.append(Evidence(point=item.prompt, quote=quote, start=0, end=0, similarity=0.0))
    return out


def _spoken(attempt: StageAttempt) -> SpokenAssessment | None:
    """The fluency of the spoken item, from the raw transcript of its latest transcribed
    recording (the timings are the engine's; the candidate's corrections change no time)."""
    content = attempt_content(attempt)
    speaking = content.speaking if isinstance(content, EnglishContent) else None
    session = object_session(attempt)
    if speaking is None or session is None:
        return None
    transcript = session.scalar(
        select(AnswerRecording.transcript)
        .where(
            AnswerRecording.attempt_id == attempt.id,
            AnswerRecording.question_id == speaking.id,
            AnswerRecording.state == RecordingState.transcribed,
        )
        .order_by(AnswerRecording.id.desc())
        .limit(1)
    )
    return assess_spoken(Transcript.model_validate(transcript)) if transcript else None


def _english(attempt: StageAttempt) -> dict[str, Score]:
    items = {item.id: item for item in english_items()}
    raw_responses = attempt_private(attempt, EnglishPrivate).responses
    responses = [
        MCResponse(difficulty=items[r.item_id].difficulty, correct=r.correct)
        for r in raw_responses
        if r.item_id in items
    ]
    english_answer = attempt_answer(attempt, EnglishAnswer)
    sample = (english_answer.writing if english_answer is not None else None) or ""
    writing = sample.strip()
    # Findings are measured on the stripped sample; quotes are offsets into the stored one.
    shift = len(sample) - len(sample.lstrip())
    kind = AnswerKind.ENGLISH_WRITING
    version = f"{ENGLISH_MC_VERSION}+{RUBRIC_VERSIONS[kind]}"
    spoken = _spoken(attempt)
    if spoken is not None:
        version += f"+{SPOKEN_VERSION}"
    if not responses and not writing and spoken is None:
        return {
            "stage": Score(
                value=0.0,
                kind=kind,
                rubric_version=version,
                provider="rubric",
                notes=["no answer was given"],
            )
        }
    result = assess_english(responses or None, writing or None, spoken)
    parts = [p.value for p in (result.mc, result.writing, result.spoken) if p is not None]
    subs: dict[str, float] = {}
    if result.mc:
        subs |= {"mc": result.mc.value, "mc_theta": result.mc.theta, "mc_items": result.mc.items}
    if result.writing:
        subs |= {
            "writing": result.writing.value,
            **{f"writing_{k}": v for k, v in result.writing.sub_scores.items()},
        }
    evidence = _mc_evidence(raw_responses, items)
    if result.writing:
        evidence += [
            Evidence(point=f.point, quote=f.quote, start=f.start + shift, end=f.end + shift,
                     similarity=1.0)
            for f in result.writing.findings
        ]  # fmt: skip
    notes = [f"CEFR {result.cefr}"]
    if spoken is not None:
        # Quotes of the spoken item carry their second in the recording (`time`).
        subs |= {"spoken": spoken.value, **{f"spoken_{k}": v for k, v in spoken.sub_scores.items()},
                 "spoken_words_per_minute": spoken.fluency.speech_rate,
                 "spoken_articulation_rate": spoken.fluency.articulation_rate,
                 "spoken_pauses_per_minute": spoken.fluency.pauses_per_minute,
                 "spoken_run_length": spoken.fluency.mean_length_of_run,
                 "spoken_filled_pauses": len(spoken.fluency.filled_pauses)}  # fmt: skip
        evidence += spoken.evidence
        notes += [f"spoken CEFR {spoken.cefr} (words and timing only; accent is never scored)",
                  *spoken.notes]  # fmt: skip
    return {"stage": Score(
        value=round(sum(parts) / len(parts), 2), kind=kind, rubric_version=version,
        provider="rubric", sub_scores=subs, notes=notes, evidence=evidence,
    )}  # fmt: skip


def _code_review(attempt: StageAttempt) -> dict[str, Score]:
    from hiresight.interviews.grading import challenge_by_id

    challenge = challenge_by_id(attempt_private(attempt, CodeReviewPrivate).challenge_id)
    bugs = [BugSpec.from_challenge_bug(b) for b in challenge.manifest.bugs]
    answer = attempt_answer(attempt, CodeReviewAnswer) or CodeReviewAnswer()
    flags = []
    for raw in answer.flags or []:
        if raw.file is None or raw.start_line is None or raw.end_line is None:
            continue  # an incomplete flag is simply not credited
        try:
            flags.append(
                CandidateFlag(
                    file=raw.file,
                    start_line=raw.start_line,
                    end_line=raw.end_line,
                    bug_class=raw.bug_class,
                )
            )
        except ValidationError:
            continue  # a malformed flag is simply not credited
    flag_result = match_flags(flags, bugs)
    result = attempt_result(attempt, CodeReviewResult)
    grade = result.grade if result is not None else None
    graded = PatchResult.from_grade_report(grade) if grade is not None else None
    patch = patch_score(graded, bugs) if graded is not None else None
    refs = [BugReference.from_challenge_bug(b) for b in challenge.manifest.bugs]
    question = Question(
        text=challenge.manifest.scenario,
        kind=AnswerKind.CODE_REVIEW,
        reference_answer=" ".join(f"{r.problem} {r.fix} {r.impact}" for r in refs),
    )
    explanation = score_explanation(
        question, Answer(text=answer.explanation or ""), explanation_rubric(refs)
    )
    stage = score_stage(flag_result, patch, explanation)
    flag_quotes, flags_missed, flag_notes = flag_evidence(flags, bugs, flag_result)
    identification = Score(
        value=round(flag_result.value, 2), kind=AnswerKind.CODE_REVIEW,
        rubric_version=CODE_REVIEW_FLAGS_VERSION, provider="rubric",
        sub_scores={"precision": flag_result.precision, "recall": flag_result.recall,
                    "weighted_credit": flag_result.weighted_credit},
        evidence=flag_quotes, points_missed=flags_missed, notes=flag_notes,
    )  # fmt: skip
    scores = {"stage": stage, "bug_identification": identification, "explanation": explanation}
    if patch is not None and graded is not None and grade is not None:
        test_quotes, tests_failed = patch_evidence(graded)
        scores["patch_design"] = Score(
            value=round(patch["value"], 2), kind=AnswerKind.CODE_REVIEW,
            rubric_version=grade.rubric_version, provider="grader",
            sub_scores={k: v for k, v in patch.items() if k != "value"},
            evidence=test_quotes, points_missed=tests_failed,
        )  # fmt: skip
    return scores


def compute_scores(attempt: StageAttempt, ai: AIProvider | None = None) -> dict[str, Score]:
    """Every component score of a final attempt (pure: reads the attempt, writes nothing)."""
    if attempt.stage is StageKind.english:
        return _english(attempt)
    if attempt.stage is StageKind.code_review:
        return _code_review(attempt)
    return _free_text(attempt, ai or provider())


def store_scores(session: Session, attempt: StageAttempt, scores: dict[str, Score]) -> None:
    """Add the scores as new rows (older rubric versions stay) and set the attempt's score."""
    for component, score in scores.items():
        session.add(AttemptScore(
            attempt_id=attempt.id, component=component, value=score.value,
            rubric_version=score.rubric_version, provider=score.provider,
            evidence=[e.model_dump() for e in score.evidence], points_missed=score.points_missed,
            closest=[e.model_dump() for e in score.closest],
            sub_scores=score.sub_scores, notes=score.notes, fallback=score.fallback,
            fallback_reason=score.fallback_reason,
        ))  # fmt: skip
    attempt.score = scores["stage"].value
    _record_scored(session, attempt, scores)
    if attempt.session.practice:
        practice = feedback.practice_feedback(attempt, scores)
        result = attempt_result(attempt) or RESULT[attempt.stage]()
        result.practice = PracticeFeedback.model_validate(practice)
        set_result(attempt, result)


def _record_scored(session: Session, attempt: StageAttempt, scores: dict[str, Score]) -> None:
    """Audit a stored score with the model and rubric version behind each component; for an
    organization's interview it is an `attempt.scored` webhook event too (numbers, no text)."""
    components = {
        name: {
            "value": score.value,
            "rubric_version": score.rubric_version,
            "model": score.provider,
            "fallback": score.fallback,
        }
        for name, score in scores.items()
    }
    audit_attempt(
        session,
        attempt,
        action="attempt.scored",
        actor_id=None,
        details={"score": attempt.score, "components": components},
    )
    organization_id = organization_of(session, attempt.session)
    if organization_id is not None and not attempt.session.practice:
        webhooks.emit(
            session,
            organization_id=organization_id,
            event_type=webhooks.ATTEMPT_SCORED,
            data={
                "attempt_id": attempt.id,
                "interview_id": attempt.session_id,
                "candidate_id": attempt.candidate_id,
                "job_id": attempt.session.job_id,
                "stage": attempt.stage.value,
                "score": attempt.score,
                "components": components,
            },
        )


# Cleared while a warm-up loads the models: a score waits for it rather than loading them twice.
_models_ready = threading.Event()
_models_ready.set()
WARM_UP_WAIT_SECONDS = 300.0


def warm_up() -> None:
    """Load the scoring models (rubric engine, grammar checker) with a throwaway answer.

    A process that runs background work calls this at start, so that its first real job does
    not pay the models' cold start; grading, which needs no model, runs meanwhile.
    """
    _models_ready.clear()
    try:
        _warm_models()
    finally:
        _models_ready.set()


def _warm_models() -> None:
    ai = provider()
    for kind in _FREE_TEXT.values():
        question = Question(
            text="How would you cache a slow service?", kind=kind,
            reference_answer="an LRU cache with a time to live", time_allotted_s=60.0,
        )  # fmt: skip
        answer = Answer(text="I would put an LRU cache in front of it, with a time to live.")
        ai.score_answer(kind, question, answer, [RubricPoint(id="p0", text="LRU eviction")])
    communication.assess("I would add a cache. It keeps reads fast.", time_used_s=30.0,
                         time_allotted_s=60.0)  # fmt: skip
    assess_english(None, "I would add a cache in front of the service. It keeps reads fast.")


# The recorded work that scores a final attempt (transcripts that arrive later re-arm it).
SCORE = "score"


class SpokenTranscriptArrivedError(Exception):
    """The spoken item was transcribed while the attempt was being scored: score it again."""


@handler(SCORE)
def score_attempt(engine: Engine, work: Claim) -> None:
    """Score a final attempt and store the scores (recorded work).

    A run stores new rows only when the stage's rubric version differs from the stored one, so
    a re-run stores nothing, while an English check re-armed because its spoken item was
    transcribed after it was scored gets its `spoken` scores beside the first ones.
    """
    factory = make_session_factory(engine)
    scores: dict[str, Score] | None = None
    with factory() as session:
        # Scored outside the write transaction: on SQLite a write holds the one writer lock.
        attempt = session.get(StageAttempt, work.attempt_id)
        if attempt is not None and attempt.answer is not None:
            _models_ready.wait(WARM_UP_WAIT_SECONDS)
            scores = compute_scores(attempt)
    with transaction(factory) as session:
        outbox.complete(session, work)
        attempt = session.get(StageAttempt, work.attempt_id)
        if attempt is None or scores is None:
            return
        version = scores["stage"].rubric_version
        late = attempt.stage is StageKind.english and SPOKEN_VERSION not in version
        if late and _spoken(attempt) is not None:
            # The transcript landed between the two transactions; the retry includes it.
            raise SpokenTranscriptArrivedError
        stored = session.scalar(
            select(AttemptScore.rubric_version)
            .where(AttemptScore.attempt_id == attempt.id, AttemptScore.component == "stage")
            .order_by(AttemptScore.id.desc())
            .limit(1)
        )
        if stored != version:
            store_scores(session, attempt, scores)


def after_final(session: Session, attempt: StageAttempt) -> None:
    """Record scoring of a final answer in its own transaction; code reviews after grading."""
    if attempt.stage is StageKind.code_review:
        return
    session.flush()  # the attempt's id
    outbox.record(session, kind=SCORE, attempt_id=attempt.id)
