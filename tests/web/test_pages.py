"""The page shell: a browser that reaches no page gets the HTML error page, machines get JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no-such-page", 404, "not_found"),
        ("GET", "/recruiter/jobs/1/nothing-here", 404, "not_found"),
        ("DELETE", "/login", 405, "method_not_allowed"),
    ],
)
def test_a_browser_that_reaches_no_page_gets_the_html_error_page(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    """An unknown address or a wrong method answers error.html with the stable code."""
    r = client.request(method, path, headers=BROWSER)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert f'data-error-code="{code}"' in r.text


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/no-such-endpoint", BROWSER),  # the API answers JSON even to a browser
        ("/no-such-page", {"accept": "application/json"}),  # a client that asks for JSON
        ("/no-such-page", {}),  # no preference: the error body every client can parse
    ],
)
def test_machines_keep_the_json_error_body(
    client: TestClient, path: str, headers: dict[str, str]
) -> None:
    """The API, and any client that does not ask for HTML, get the one JSON error body."""
    r = client.get(path, headers=headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
