"""The system-design question names the code just reviewed and how its bug failed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hiresight.banks.loader import system_design_prompts
from hiresight.banks.models import SystemDesignPrompt
from hiresight.challenges.loader import load_bank
from hiresight.challenges.models import Challenge
from hiresight.challenges.seeds import bug_holder, failure_mode, headline_bug
from hiresight.interviews.attempt_data.stored import ChallengeView
from hiresight.interviews.questions import design_question


def _view(challenge: Challenge) -> ChallengeView:
    m = challenge.manifest
    return ChallengeView(
        id=challenge.id, title=m.title, language=m.language, scenario=m.scenario,
        stacks=list(m.stacks), files={}, visible_tests=[], bug_classes=[],
    )  # fmt: skip


def _bank(challenge_id: str) -> Challenge:
    return next(c for c in load_bank() if c.id == challenge_id)


def _prompt(prompt_id: str) -> SystemDesignPrompt:
    return next(p for p in system_design_prompts() if p.id == prompt_id)


def test_export_question_names_the_function_and_its_failure() -> None:
    """Known answer: the CSV export's headline bug is in `writeRows`, which lost the last rows."""
    text = design_question(_prompt("sd-huge-export"), _view(_bank("js-csv-export")))
    assert text == (
        "In the code review, `writeRows` skipped or repeated rows between pages. Recruiters now "
        'export two million rows through `writeRows` ("Streaming CSV export of candidates"). '
        "Requests time out and memory spikes. What would you do?"
    )


def test_route_is_named_by_method_and_path() -> None:
    """Known answer: a Python route's bug names the route, not the handler's function name."""
    text = design_question(_prompt("sd-deep-pagination"), _view(_bank("py-orders-pagination")))
    assert text.startswith(
        "In the code review, `GET /customers/{customer_id}/orders` skipped or repeated rows "
        "between pages. Clients of `GET /customers/{customer_id}/orders` from "
        '"Customer order history endpoint" now page'
    )


@pytest.mark.parametrize("challenge", load_bank(), ids=lambda c: c.id)
def test_every_bank_challenge_ties_every_prompt_once(challenge: Challenge) -> None:
    """For each challenge and prompt: the holder and failure mode named, the title once."""
    bug = headline_bug(challenge)
    holder = bug_holder(challenge, bug)
    assert holder, f"{challenge.id}: no function or route found for bug {bug.id}"
    for prompt in system_design_prompts():
        text = design_question(prompt, _view(challenge))
        assert text.count(challenge.manifest.title) == 1, (prompt.id, text)
        assert f"`{holder}` {failure_mode(bug)}." in text
        assert "{" not in text.replace("{customer_id}", "")


def test_without_a_review_the_standalone_question_is_asked() -> None:
    """No code review in the interview: the prompt's standalone text, unchanged."""
    prompt = _prompt("sd-traffic-10x")
    assert design_question(prompt, None) == prompt.standalone


def test_the_room_asks_about_the_code_just_reviewed(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Through the API: after the code review, the design question names its holder and bug."""
    r = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["code_review", "system_design"]}
    )
    interview = r.json()["id"]
    review = client.post(
        f"/api/v1/interviews/{interview}/stages/code_review/start", headers=headers
    ).json()
    client.post(f"/api/v1/attempts/{review['id']}/submit", headers=headers, json={"draft": {}})
    design = client.post(
        f"/api/v1/interviews/{interview}/stages/system_design/start", headers=headers
    ).json()
    text = design["content"]["questions"][0]["text"]
    challenge = _bank(review["content"]["challenge"]["id"])
    bug = headline_bug(challenge)
    assert text.startswith(
        f"In the code review, `{bug_holder(challenge, bug)}` {failure_mode(bug)}."
    )
    assert text.count(challenge.manifest.title) == 1
