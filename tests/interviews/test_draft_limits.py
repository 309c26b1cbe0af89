"""Drafts the server cannot store or show are refused with 422 before they are saved."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from hiresight.interviews.schemas import MAX_DRAFT_DEPTH


def _nested(depth: int) -> str:
    """A JSON object nested `depth` levels deep."""
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def attempt_id(client: TestClient, headers: dict[str, str]) -> int:
    """A running behavioural attempt of the candidate."""
    interview = client.post("/api/v1/interviews", headers=headers, json={}).json()
    r = client.post(
        f"/api/v1/interviews/{interview['id']}/stages/behavioral/start", headers=headers
    )
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def _put_draft(
    client: TestClient, headers: dict[str, str], attempt_id: int, draft: str, revision: int = 1
) -> tuple[int, dict]:
    r = client.put(
        f"/api/v1/attempts/{attempt_id}/draft",
        headers={**headers, "content-type": "application/json"},
        content=f'{{"revision": {revision}, "draft": {draft}}}',
    )
    return r.status_code, r.json()


def test_absurdly_deep_draft_is_refused(
    client: TestClient, headers: dict[str, str], attempt_id: int
) -> None:
    """A draft nested 500 levels deep answers 422 and the attempt stays readable."""
    status, body = _put_draft(client, headers, attempt_id, _nested(500))
    assert status == 422, body
    assert body["error"]["code"] == "json_too_deep"
    r = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers)
    assert r.status_code == 200
    assert r.json()["draft_revision"] == 0


def test_draft_too_deep_to_parse_is_a_client_error(
    client: TestClient, headers: dict[str, str], attempt_id: int
) -> None:
    """Past the JSON parser's own depth limit the body is unreadable: 400, never a 500."""
    status, body = _put_draft(client, headers, attempt_id, _nested(100_000))
    assert status == 400, body
    assert body["error"]["code"] == "bad_request"


def test_draft_past_its_own_depth_limit_is_refused(
    client: TestClient, headers: dict[str, str], attempt_id: int
) -> None:
    """Past MAX_DRAFT_DEPTH levels the draft is refused with the `draft_too_deep` error type."""
    status, body = _put_draft(client, headers, attempt_id, _nested(MAX_DRAFT_DEPTH + 1))
    assert status == 422, body
    assert body["error"]["code"] == "validation_error"
    assert [e["type"] for e in body["error"]["details"]] == ["draft_too_deep"]
    assert body["error"]["details"][0]["loc"] == ["body", "draft"]


def test_draft_at_the_depth_limit_is_saved(
    client: TestClient, headers: dict[str, str], attempt_id: int
) -> None:
    """A draft exactly MAX_DRAFT_DEPTH levels deep is saved and read back unchanged."""
    draft = _nested(MAX_DRAFT_DEPTH)
    status, body = _put_draft(client, headers, attempt_id, draft)
    assert status == 200, body
    stored = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json()
    assert stored["draft"] == json.loads(draft)


def test_deep_draft_in_a_submit_is_refused(
    client: TestClient, headers: dict[str, str], attempt_id: int
) -> None:
    """The final answer is bounded like an autosave: nothing is submitted."""
    r = client.post(
        f"/api/v1/attempts/{attempt_id}/submit",
        headers={**headers, "content-type": "application/json"},
        content=f'{{"draft": {_nested(MAX_DRAFT_DEPTH + 5)}}}',
    )
    assert r.status_code == 422, r.text
    assert client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json()["state"] == "active"


@pytest.mark.parametrize(
    "draft",
    [
        '{"answers": {"b1": "before\\u0000after"}}',
        '{"answers": {"b\\u0000": "text"}}',
        '{"answers": [["deep", {"x": "\\ud800"}]]}',
    ],
)
def test_draft_with_unstorable_text_is_refused(
    client: TestClient, headers: dict[str, str], attempt_id: int, draft: str
) -> None:
    """NUL characters or unpaired surrogates anywhere in a draft answer 422, on both databases."""
    status, body = _put_draft(client, headers, attempt_id, draft)
    assert status == 422, body
    assert body["error"]["code"] == "invalid_text"
    assert body["error"]["details"]["loc"][:3] == ["body", "draft", "answers"]
    assert client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).status_code == 200
