"""Security headers: a self-only Content-Security-Policy, no framing, nosniff, no referrer."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hiresight.web.security_headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "hiresight" / "web" / "templates"


def _directives(policy: str) -> dict[str, set[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = set(values)
    return out


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/me", "/static/app.js", "/nowhere"])
def test_every_answer_carries_the_headers(client: TestClient, path: str) -> None:
    """Pages, API errors, static files and 404s all carry the four protections."""
    r = client.get(path)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_only_self_and_what_monaco_needs() -> None:
    """Scripts only from our own files; Monaco's blob: workers and inline styles are named."""
    policy = _directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}
    assert policy["worker-src"] == {"'self'", "blob:"}
    assert policy["style-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["object-src"] == {"'none'"}
    assert not any("unsafe-eval" in v or "*" in v for vs in policy.values() for v in vs)


def test_the_api_docs_page_may_load_swagger_ui(client: TestClient) -> None:
    """/api/docs gets the hash of each of its inline scripts and no other origin: its assets
    are served from this server."""
    r = client.get("/api/docs")
    assert r.status_code == 200
    policy = _directives(r.headers["content-security-policy"])
    inline = re.findall(rb"<script>(.*?)</script>", r.content, re.DOTALL)
    assert inline
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    assert all(not v.startswith("http") for vs in policy.values() for v in vs)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == {"'none'"}
    assert r.headers["x-frame-options"] == "DENY"


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """Every script is a file (the policy would block inline code); JSON data blocks are fine."""
    offenders = []
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=", text)]
        offenders += [f"{template.name}: javascript:" for _ in re.findall("javascript:", text)]
    assert offenders == []
