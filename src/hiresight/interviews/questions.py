"""What each stage asks, built from the candidate's profile and the question banks.

`build_content` returns what the candidate sees (`content`) and what only the server keeps
(`private`: correct options, rubric points, the challenge id). Hidden tests and solutions never
enter either: the code-review stage stores only the challenge id and re-loads the challenge
when grading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy import Integer, cast, func, select, update
from sqlalchemy.orm import Session

from hiresight.banks.adaptive import AdaptiveConfig, Response, next_item, practice_items
from hiresight.banks.loader import (
    behavioral_material,
    behavioral_prompts,
    english_items,
    passages,
    resume_kind,
    resume_templates,
    system_design_material,
    system_design_prompts,
    writing_prompts,
)
from hiresight.banks.models import EnglishItem, SystemDesignPrompt
from hiresight.challenges.loader import challenge_index, load_bank
from hiresight.challenges.models import Challenge
from hiresight.challenges.seeds import bug_holder, failure_mode, headline_bug
from hiresight.interviews.attempt_data.columns import (
    Content,
    Private,
    attempt_content,
    attempt_private,
    set_content,
    set_private,
)
from hiresight.interviews.attempt_data.stored import (
    BehavioralContent,
    BehavioralPrivate,
    ChallengeView,
    CodeReviewContent,
    CodeReviewPrivate,
    CodeReviewQuestion,
    EnglishContent,
    EnglishPrivate,
    McQuestion,
    McResponse,
    ResumeContent,
    ResumePrivate,
    StoredData,
    SystemDesignContent,
    SystemDesignPrivate,
    TextQuestion,
    WritingTask,
)
from hiresight.interviews.config import StageKind, TemplateConfig
from hiresight.interviews.errors import AttemptDataError, StageStateError
from hiresight.interviews.models import InterviewSession, StageAttempt
from hiresight.interviews.scoring import provider
from hiresight.interviews.voice.notice import SPEAKING_ID, SPEAKING_PROMPTS
from hiresight.profiles.service import InterviewProfile, interview_profile
from hiresight.scoring.providers.rubric import RubricProvider
from hiresight.scoring.types import Answer, AnswerKind, Question

# A stage's questions and the server-only data that goes with them.
StageData = tuple[Content, Private]
P = TypeVar("P", bound=StoredData)
BUG_CLASSES = [
    "off-by-one", "unhandled-async-error", "resource-leak", "race-condition",
    "wrong-status-code", "pagination", "injection", "missing-validation", "error-swallowing",
    "blocking-io-in-async", "n-plus-one", "idempotency", "time-handling", "authorization",
    "other",
]  # fmt: skip
_SENIORITY_DIFFICULTY = {"junior": 1.5, "mid": 2.5, "senior": 3.5, "staff": 4.5}
_MAX_FOLLOW_UPS = 2


def _seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return int(digest[:12], 16)


def _previous(session: Session, interview: InterviewSession, kind: StageKind) -> list[StageAttempt]:
    stmt = select(StageAttempt).where(
        StageAttempt.candidate_id == interview.candidate_id, StageAttempt.stage == kind
    )
    return list(session.scalars(stmt))


def _previous_private(
    session: Session, interview: InterviewSession, kind: StageKind, model: type[P]
) -> list[P]:
    """The private data of the candidate's earlier attempts at a stage, skipping unreadable rows.

    It only steers which item comes next: an unreadable old row means, at worst, an item seen
    before is shown again, never that the candidate cannot start the stage.
    """
    out = []
    for attempt in _previous(session, interview, kind):
        try:
            out.append(attempt_private(attempt, model))
        except AttemptDataError:
            continue
    return out


def _mc_question(item: EnglishItem) -> McQuestion:
    if item.passage:
        return McQuestion(
            id=item.id, type="mc", text=item.prompt, options=list(item.options),
            passage=passages()[item.passage].text,
        )  # fmt: skip
    return McQuestion(id=item.id, type="mc", text=item.prompt, options=list(item.options))


def _english(interview: InterviewSession, questions: int, voice: bool = False) -> StageData:
    config = AdaptiveConfig(max_items=questions, seed=_seed(interview.id, "english") % 10_000)
    first = next_item([], items=_english_pool(interview), config=config)
    if first is None:
        raise StageStateError("The English bank is empty.")
    prompts = writing_prompts()
    writing = prompts[_seed(interview.id, "writing") % len(prompts)]
    content = EnglishContent(
        instructions="Answer each multiple-choice question, then write the short text below.",
        questions=[_mc_question(first)],
        mc_total=questions,
        writing=WritingTask(
            id=writing.id, prompt=writing.prompt, min_words=writing.min_words,
            max_words=writing.max_words,
        ),
    )  # fmt: skip
    if voice:
        spoken = SPEAKING_PROMPTS[_seed(interview.id, "speaking") % len(SPEAKING_PROMPTS)]
        content.speaking = TextQuestion(id=SPEAKING_ID, type="text", text=spoken)
    private = EnglishPrivate(adaptive_seed=config.seed, max_items=questions, responses=[])
    return content, private


def _english_pool(interview: InterviewSession) -> list[EnglishItem] | None:
    """Practice draws from the bank without a real check's opening items; None is the bank."""
    return practice_items() if interview.practice else None


def _resume(profile: InterviewProfile, questions: int) -> StageData:
    claims = list(profile.top_claims[: max(1, questions - 1)])
    if profile.vague_claims:
        claims.append(profile.vague_claims[0])
    out: list[McQuestion | TextQuestion | CodeReviewQuestion] = []
    follow_ups: dict[str, list[str]] = {}
    # What each question checks (the template's aim) is its rubric point: private, like every
    # stage's rubric material.
    points: dict[str, list[str]] = {}
    for index, claim in enumerate(claims[:questions]):
        skill = claim.skills[0] if claim.skills else None
        values = {"claim": claim.text, "skill": skill, "project": claim.role}
        available = {k for k, v in values.items() if v}
        kind = resume_kind(claim.kind, vague=claim.vague)
        templates = resume_templates(kind, available=available) or resume_templates(kind)
        template = templates[index % len(templates)]
        qid = f"r{index + 1}"
        text = _provider_question(claim.text, skill, index) or template.render(**values)
        out.append(TextQuestion(id=qid, type="text", text=text, claim=claim.text))
        follow_ups[qid] = template.render_follow_ups(**values)[:_MAX_FOLLOW_UPS]
        points[qid] = [template.aims]
    if not out:
        out.append(TextQuestion(
            id="r1", type="text",
            text="Walk me through the project you are proudest of: what did you build, "
            "what was hard, and what changed because of your work?",
        ))  # fmt: skip
        follow_ups["r1"] = [
            "What exactly did you measure before and after, and what were the numbers?"
        ]
        points["r1"] = ["Names what they built themselves, what was hard and a measured change."]
    content = ResumeContent(
        instructions="Answer with specifics: numbers, names, and what you did yourself.",
        questions=out,
    )
    private = ResumePrivate(follow_ups=follow_ups, answered={}, rubric_by_question=points)
    return content, private


def _provider_question(claim: str, skill: str | None, seed: int) -> str | None:
    """A résumé question worded by an LLM provider, when one is configured.

    The offline default keeps the bank's templates (they are written per claim kind); an LLM
    provider words its own, and any failure falls back to the bank.
    """
    ai = provider()
    if isinstance(ai, RubricProvider):
        return None
    try:
        return ai.generate_question(
            AnswerKind.RESUME, topic=skill or "", claim=claim, seed=seed
        ).text
    except Exception:
        return None


def _pick_language(profile: InterviewProfile, allowed: list[str]) -> str:
    weights = profile.primary_languages
    javascript = weights.get("JavaScript", 0.0) + weights.get("TypeScript", 0.0)
    if any(s.name == "Node.js" and s.strength != "listed-only" for s in profile.skills):
        javascript += 0.25
    preferred = "javascript" if javascript > weights.get("Python", 0.0) else "python"
    return preferred if preferred in allowed else allowed[0]


def pick_challenge(
    profile: InterviewProfile,
    allowed: list[str],
    seen: set[str],
    bank: list[Challenge],
    last_used: Mapping[str, int] | None = None,
) -> Challenge:
    """A challenge in the candidate's language at their level, never one they have seen.

    Every unseen challenge of the candidate's language at the difficulty nearest their level
    fits them equally; of those, the one used least recently by the candidates before them
    (`last_used`: challenge id -> latest attempt id, see `challenge_rotation`) comes first, so
    two candidates in a row do not get the same one. Ties (never used) go by id.
    """
    language = _pick_language(profile, allowed)
    target = _SENIORITY_DIFFICULTY[profile.seniority]
    pool = [c for c in bank if c.id not in seen and c.language == language]
    pool = pool or [c for c in bank if c.id not in seen and c.language in allowed]
    if not pool:
        raise StageStateError("You have seen every code-review challenge we have.")
    nearest = min(abs(c.manifest.difficulty - target) for c in pool)
    fitting = [c for c in pool if abs(c.manifest.difficulty - target) == nearest]
    used = last_used or {}
    return min(fitting, key=lambda c: (used.get(c.id, 0), c.id))


# How many of a job's latest code-review attempts the rotation looks at: a challenge unused in
# that many is as good as never used.
ROTATION_WINDOW = 500
# Keys of the PostgreSQL advisory lock that serialises challenge choice per job or template.
_ROTATION_LOCK_JOB = 0x48530001
_ROTATION_LOCK_TEMPLATE = 0x48530002


def challenge_rotation(session: Session, interview: InterviewSession) -> dict[str, int]:
    """Challenge id -> id of its latest code-review attempt among this job's candidates.

    The rotation is per job (per template for an interview without a job; none for neither).
    Before reading, it takes a lock held until the transaction ends, so that concurrent starts
    for one job choose one after the other, each seeing the attempt the one before stored: a
    transaction-scoped advisory lock on PostgreSQL, the database's write lock on SQLite (a
    write that changes nothing, on the candidate's own session row).
    """
    if interview.job_id is not None:
        scope = InterviewSession.job_id == interview.job_id
        key = (_ROTATION_LOCK_JOB, interview.job_id)
    elif interview.template_id is not None:
        scope = InterviewSession.template_id == interview.template_id
        key = (_ROTATION_LOCK_TEMPLATE, interview.template_id)
    else:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock(cast(key[0], Integer), cast(key[1], Integer))
        session.execute(select(lock))
    else:
        session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == interview.id)
            .values(state=InterviewSession.state)
            .execution_options(synchronize_session=False)
        )
    stmt = (
        select(StageAttempt.id, StageAttempt.private)
        .join(InterviewSession, InterviewSession.id == StageAttempt.session_id)
        .where(scope, StageAttempt.stage == StageKind.code_review)
        .order_by(StageAttempt.id.desc())
        .limit(ROTATION_WINDOW)
    )
    last: dict[str, int] = {}
    for attempt_id, private in session.execute(stmt):
        challenge_id = (private or {}).get("challenge_id")
        if isinstance(challenge_id, str):
            last.setdefault(challenge_id, attempt_id)
    return last


def _code_review(
    session: Session, interview: InterviewSession, profile: InterviewProfile, config: TemplateConfig
) -> StageData:
    seen = {
        p.challenge_id
        for p in _previous_private(session, interview, StageKind.code_review, CodeReviewPrivate)
    }
    rotation = challenge_rotation(session, interview)
    challenge = pick_challenge(profile, list(config.languages), seen, load_bank(), rotation)
    manifest = challenge.manifest
    content = CodeReviewContent(
        instructions="Flag the bugs (line ranges and a class), fix the code, and explain "
        "each fix: the problem, the fix, and its impact.",
        challenge=ChallengeView(
            id=challenge.id, title=manifest.title, language=manifest.language,
            scenario=manifest.scenario, stacks=list(manifest.stacks),
            files=dict(challenge.src), visible_tests=sorted(challenge.visible_tests),
            bug_classes=BUG_CLASSES,
        ),
        questions=[CodeReviewQuestion(id="code", type="code_review", text=manifest.scenario)],
    )  # fmt: skip
    return content, CodeReviewPrivate(challenge_id=challenge.id)


def _reviewed_challenge(interview: InterviewSession) -> ChallengeView | None:
    for attempt in interview.attempts:
        if attempt.stage is StageKind.code_review:
            return attempt_content(attempt, CodeReviewContent).challenge
    return None


# The design prompts' tags that a bug class speaks to (banks/data/system_design.toml).
_CLASS_TAGS = {
    "race-condition": "concurrency", "pagination": "pagination", "idempotency": "idempotency",
    "blocking-io-in-async": "async", "unhandled-async-error": "async",
    "authorization": "authorization", "injection": "sql", "n-plus-one": "sql",
}  # fmt: skip


def design_question(prompt: SystemDesignPrompt, reviewed: ChallengeView | None) -> str:
    """The design question, tied to the code just reviewed when there is one.

    It opens with the code that held the review's headline bug and how that bug failed
    (`challenges.seeds`), e.g. "In the code review, `exportCandidates` leaked a connection or
    handle when something failed.", then asks the bank prompt about that same code. The
    challenge's title fills the prompt's own mention of it, once.
    """
    if reviewed is None:
        return prompt.render()
    challenge = challenge_index().get(reviewed.id)
    bug = headline_bug(challenge) if challenge else None
    holder = bug_holder(challenge, bug) if challenge and bug else None
    if bug is None or holder is None:
        return prompt.render(challenge_title=reviewed.title, endpoint="the code you fixed")
    lead = f"In the code review, `{holder}` {failure_mode(bug)}."
    return f"{lead} {prompt.render(challenge_title=reviewed.title, endpoint=f'`{holder}`')}"


def _design_tags(reviewed: ChallengeView | None) -> list[str]:
    if reviewed is None:
        return []
    challenge = challenge_index().get(reviewed.id)
    tags = [*reviewed.stacks, reviewed.language]
    if challenge is not None:
        tag = _CLASS_TAGS.get(headline_bug(challenge).bug_class)
        tags += [tag] if tag else []
    return tags


def _system_design(session: Session, interview: InterviewSession) -> StageData:
    reviewed = _reviewed_challenge(interview)
    tags = _design_tags(reviewed)
    seen = {
        p.prompt_id
        for p in _previous_private(session, interview, StageKind.system_design, SystemDesignPrivate)
    }
    ranked = [p for p in system_design_prompts(tags) if p.id not in seen] or system_design_prompts(
        tags
    )
    prompt = ranked[0]
    text = design_question(prompt, reviewed)
    content = SystemDesignContent(
        instructions="Think out loud: what breaks first, how you would find out, and what "
        "you would change, with the trade-offs.",
        questions=[TextQuestion(id="sd1", type="text", text=text)],
    )
    return content, SystemDesignPrivate.model_validate(system_design_material(prompt))


def _behavioral(
    session: Session, interview: InterviewSession, profile: InterviewProfile
) -> StageData:
    seen = {
        p.prompt_id
        for p in _previous_private(session, interview, StageKind.behavioral, BehavioralPrivate)
    }
    prompts = [p for p in behavioral_prompts() if p.id not in seen] or behavioral_prompts()
    prompt = prompts[_seed(interview.id, "behavioral") % len(prompts)]
    ownership = [c for c in profile.top_claims if c.kind == "ownership"]
    claims = ownership or profile.top_claims
    claim = claims[0] if claims else None
    text = prompt.render(claim.text if claim else None)
    content = BehavioralContent(
        instructions="Answer as a STAR story: the Situation, your Task, the Actions you "
        "took yourself, and the Result, with numbers where you can.",
        questions=[TextQuestion(id="b1", type="text", text=text)],
    )
    material = behavioral_material(prompt, claim.text if claim else None)
    return content, BehavioralPrivate.model_validate(material)


def build_content(
    session: Session, interview: InterviewSession, kind: StageKind, config: TemplateConfig
) -> StageData:
    """The questions of a stage for this candidate (see the module docstring)."""
    stage = config.stage(kind)
    questions = stage.questions if stage else 1
    profile = interview_profile(session, candidate_id=interview.candidate_id)
    if kind is StageKind.english:
        return _english(interview, questions, voice=bool(stage and stage.voice))
    if kind is StageKind.resume:
        return _resume(profile, questions)
    if kind is StageKind.code_review:
        return _code_review(session, interview, profile, config)
    if kind is StageKind.system_design:
        return _system_design(session, interview)
    return _behavioral(session, interview, profile)


def answer_question(
    attempt: StageAttempt, question_id: str, text: str | None, choice: int | None
) -> McQuestion | TextQuestion | None:
    """Record one answer; returns the question that follows (next item or a follow-up), if any."""
    content = attempt_content(attempt)
    question = content.question(question_id)
    if question is None:
        raise StageStateError("No such question in this stage.")
    follow: McQuestion | TextQuestion | None = None
    if isinstance(question, McQuestion):
        private = attempt_private(attempt, EnglishPrivate)
        follow = _answer_mc(attempt, private, question, choice)
        set_private(attempt, private)
    elif attempt.stage is StageKind.resume and isinstance(question, TextQuestion):
        resume = attempt_private(attempt, ResumePrivate)
        follow = _answer_resume(resume, content.questions, question, text or "")
        set_private(attempt, resume)
    if follow is not None:
        content.questions = [*content.questions, follow]
        set_content(attempt, content)
    return follow


def _answer_mc(
    attempt: StageAttempt, private: EnglishPrivate, question: McQuestion, choice: int | None
) -> McQuestion | None:
    if choice is None:
        raise StageStateError("Pick one of the options.")
    if any(r.item_id == question.id for r in private.responses):
        raise StageStateError("This question is already answered.")
    if private.max_items is None or private.adaptive_seed is None:
        raise AttemptDataError(
            f"The English check of attempt {attempt.id} has no adaptive seed or length.",
            details={"attempt_id": attempt.id, "column": "private"},
        )
    items = {i.id: i for i in english_items()}
    item = items[question.id]
    response = McResponse(item_id=item.id, choice=choice, correct=choice == item.answer)
    private.responses = [*private.responses, response]
    config = AdaptiveConfig(max_items=private.max_items, seed=private.adaptive_seed)
    answered = [Response(r.item_id, r.correct) for r in private.responses]
    nxt = next_item(answered, items=_english_pool(attempt.session), config=config)
    return _mc_question(nxt) if nxt is not None else None


def _answer_resume(
    private: ResumePrivate,
    questions: list[McQuestion | TextQuestion | CodeReviewQuestion],
    question: TextQuestion,
    text: str,
) -> TextQuestion | None:
    """Ask the AI provider whether the answer needs drilling down; at most two follow-ups."""
    root = question.follow_up_of or question.id
    private.answered = {**private.answered, question.id: text}
    pending: dict[str, list[str]] = {k: list(v) for k, v in private.follow_ups.items()}
    asked = sum(1 for q in questions if isinstance(q, TextQuestion) and q.follow_up_of == root)
    if asked >= _MAX_FOLLOW_UPS:
        return None
    ai = provider()
    claim = next((q.claim for q in questions if isinstance(q, TextQuestion) and q.id == root), None)
    asked_text = Question(text=question.text, kind=AnswerKind.RESUME, claim=claim)
    follow_text = ai.generate_follow_up(asked_text, Answer(text=text), claim)
    if follow_text is None:
        return None
    # The offline engine only decides *whether* to drill down; the bank's follow-up for this
    # claim says *what* to ask more specifically. An LLM provider words its own.
    if isinstance(ai, RubricProvider) and pending.get(root):
        follow_text = pending[root].pop(0)
        private.follow_ups = pending
    return TextQuestion(id=f"{root}-f{asked + 1}", type="text", text=follow_text, follow_up_of=root)
