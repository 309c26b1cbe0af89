"""STAR structure of a behavioural story: which sentences tell the Situation, Task, Action, Result.

A candidate may label the parts ("Situation: ... Task: ...") or just tell the story. Labels win:
a label applies to its sentence and every following one, across sentence and paragraph breaks,
until the next label. Unlabelled sentences are read one by one, in order of how specific the cue
is: a task names a duty, a goal or a deadline; a result reports an outcome, a figure that moved or
a lesson; an action is something the speaker (or their team) did, in the past tense; a situation
sets a past scene, mostly early in the story. Habits, beliefs and hypotheticals tell no part: an
answer made of them has no STAR structure however many STAR words it uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hiresight.scoring import facts, nlp

PARTS = ("situation", "task", "action", "result")

_LABELS: dict[str, str] = {
    "situation": "situation",
    "context": "situation",
    "background": "situation",
    "problem": "situation",
    "task": "task",
    "goal": "task",
    "objective": "task",
    "challenge": "task",
    "my role": "task",
    "role": "task",
    "action": "action",
    "actions": "action",
    "what i did": "action",
    "approach": "action",
    "result": "result",
    "results": "result",
    "outcome": "result",
    "impact": "result",
    "lesson": "result",
    "lessons": "result",
    "learning": "result",
    "what i learned": "result",
    "what i learnt": "result",
}
# "Situation:", "**Task** -", "(A)", "S:" at the start of a line or sentence.
_LABEL_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?]\s))\s*[*_(\[]*\s*("
    + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True))
    + r"|[star])\s*[*_)\]]*\s*[:\-–—]\s*",
    re.I,
)
_LETTER = {"s": "situation", "t": "task", "a": "action", "r": "result"}

_TASK_RE = re.compile(
    # "my task was", "our job as a team was" (but not "at my previous job", a scene).
    r"\b(?:(?:my|our)(?: \w+){0,2} (?:task|job|role|goal|responsibility|mandate|part|"
    r"assignment|brief|mission|remit)(?: \w+){0,3} (?:was|is|became)\b|"
    r"(?:task|job|goal|aim|mission|objective|target|brief|ask)\b[^.]{0,60}\bwas to|"
    r"I was (?:asked|tasked|responsible|expected|supposed|assigned|"
    r"given|told|brought in|hired|the one)|(?:asked|wanted|needed|told|hired|trusted) me to|"
    r"I (?:had|needed|got) to|we (?:had|needed|got) to|had (?:\w+ ){0,3}(?:days?|weeks?|"
    r"hours?|months?|sprints?)\b|the (?:goal|aim|objective|ask|target|mandate|brief|"
    r"requirement) was|(?:was|fell) (?:up )?(?:to|on) me|it was (?:my|on me)|"
    r"I (?:volunteered|offered|agreed|stepped up|decided) to (?:own|take|lead|fix|drive|handle|"
    r"investigate|run)|I took (?:it )?on|I took ownership|deadline|needed (?:someone )?to|"
    r"we were asked|was supposed to|in charge of|(?:agreed|promised|committed|planned|"
    r"decided)(?: as a team)?(?: that)? (?:we|I) would)\b",
    re.I,
)
_RESULT_RE = re.compile(
    r"\b(?:as a result|the result|resulted|in the end|eventually|ended up|outcome|since then|"
    r"afterwards|after that|from then on|which meant|this meant|that meant|"
    r"I (?:learned|learnt|realised|realized|now)|lessons?|(?:we|it|they) (?:shipped|launched|"
    r"released|went live)|went (?:from|down|up|live)|dropped|fell|rose|increased|decreased|"
    r"improved|reduced|halved|doubled|saved|cut (?:\w+ ){0,4}(?:from|to|by)|"
    r"no (?:more |further |new )?(?:incidents?|outages?|complaints?|regressions?|pages?)|"
    r"zero (?:incidents?|outages?|downtime|errors?)|on time|was adopted|got promoted|"
    r"still (?:use|run|pair|work|talk)|today (?:we|it|the)|to this day|"
    r"(?:relationship|trust) (?:improved|was|is|got|became)|(?:we|they|the team) "
    r"(?:agreed|decided|chose|went with|adopted|kept)|the decision was|"
    r"now (?:she|he|they|we|it|the)|(?:we|I|they|it|she|he) (?:finished|completed|delivered|"
    r"shipped|launched|released|hit|met|beat)|with no (?:\w+ )?(?:downtime|errors?|incidents?|"
    r"outages?|complaints?)|disappeared|went away|stopped (?:\w+ing)|"
    r"within (?:a|one|two|three|\w+) (?:days?|weeks?|months?))\b"
    r"|\d+\s*%",
    re.I,
)
_SCENE_RE = re.compile(
    r"\b(?:we had|there was|there were|our (?:team|service|system|product|company|app|"
    r"api|client|customers?)|the (?:team|service|system|company|project|client)|"
    r"I was (?:working|leading|on|part|a|the|one)|I worked|we were|working (?:at|on|for)|"
    r"at the time|back then|once|a (?:colleague|teammate|customer|client|manager)|"
    r"when I|while I|during)\b",
    re.I,
)


@dataclass(frozen=True)
class StarSentence:
    """One sentence of the answer and the STAR part it tells, if any."""

    span: nlp.Span
    part: str | None


def _labels(text: str) -> list[tuple[int, str]]:
    """(offset, part) of each STAR label in the text, in order."""
    out = []
    for m in _LABEL_RE.finditer(text):
        key = m.group(1).lower()
        part = _LABELS.get(key) or _LETTER.get(key)
        if part:
            out.append((m.start(1), part))
    return out


def classify(sentence: str, position: float) -> str | None:
    """The STAR part an unlabelled sentence tells; `position` is its place in the story, 0–1."""
    f = facts.facts(sentence)
    if f.evasive or (f.hypothetical and not f.past):
        return None
    # "I always try to help when they are stuck" has a past form but tells a habit, not an event.
    if f.generic and not f.time_anchor and (f.own_action is None or not f.past):
        return None
    if _TASK_RE.search(sentence) and (f.past or f.time_anchor or f.first_person):
        return "task"
    if _RESULT_RE.search(sentence) and (f.past or f.numbers or position > 0.5):
        return "result"
    if f.own_action is not None:
        return "action"
    if f.past and position < 0.34:
        return "situation"
    # Late in a story, what happened to others ("the next four hires shipped in their first
    # week") is the outcome of the candidate's actions.
    if f.past and position >= 0.6:
        return "result"
    if f.past and (f.time_anchor or _SCENE_RE.search(sentence)):
        return "situation"
    return None


def segments(text: str) -> list[StarSentence]:
    """Every sentence of `text` with the STAR part it tells (None when it tells none)."""
    spans = nlp.sentences(text)
    labels = _labels(text)
    out: list[StarSentence] = []
    current: str | None = None
    for i, span in enumerate(spans):
        # A label inside this sentence (usually at its start) sets the part from here on.
        inside = [part for at, part in labels if span.start <= at < span.end]
        if inside:
            current = inside[-1]
        if current is not None:
            out.append(StarSentence(span, current))
            continue
        position = i / max(1, len(spans) - 1) if len(spans) > 1 else 0.0
        out.append(StarSentence(span, classify(span.text, position)))
    return out


def present(text: str) -> dict[str, bool]:
    """Which STAR parts the story tells somewhere."""
    found = {s.part for s in segments(text)}
    return {part: part in found for part in PARTS}
