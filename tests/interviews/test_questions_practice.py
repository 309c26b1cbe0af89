"""Practice English draws its items apart from the ones a real interview shows first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hiresight.banks.adaptive import opening_items
from hiresight.banks.loader import english_items


def _english_attempt(client: TestClient, headers: dict[str, str], *, practice: bool) -> dict:
    r = client.post("/api/v1/interviews", headers=headers, json={"practice": practice})
    assert r.status_code == 201, r.text
    interview_id = r.json()["id"]
    r = client.post(f"/api/v1/interviews/{interview_id}/stages/english/start", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _answer_all(client: TestClient, headers: dict[str, str], attempt: dict) -> list[str]:
    """Answer every item as it comes (the first option) and return the items given, in order."""
    bank = {item.id: item for item in english_items()}
    given: list[str] = []
    while True:
        open_items = [
            q for q in attempt["content"]["questions"] if q["type"] == "mc" and q["id"] not in given
        ]
        if not open_items:
            return given
        item = open_items[0]
        given.append(item["id"])
        assert item["id"] in bank
        r = client.post(
            f"/api/v1/attempts/{attempt['id']}/questions/{item['id']}/answer",
            headers=headers,
            json={"choice": 0},
        )
        assert r.status_code == 200, r.text
        attempt = r.json()


def test_practice_items_are_not_the_real_interviews_first_items(
    client: TestClient, headers: dict[str, str]
) -> None:
    """The real check opens with one of its opening items; the whole practice check, item by
    item as the answers steer it, never shows one."""
    opening = opening_items()
    real = _english_attempt(client, headers, practice=False)
    assert real["content"]["questions"][0]["id"] in opening
    practice = _english_attempt(client, headers, practice=True)
    given = _answer_all(client, headers, practice)
    assert len(given) == practice["content"]["mc_total"]
    assert not set(given) & opening
