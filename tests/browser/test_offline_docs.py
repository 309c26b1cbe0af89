"""Browser: the API docs page works with no internet, its Swagger UI served by this server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_api_docs_render_with_the_network_blocked(page: Page, live_server: LiveServer) -> None:
    """Every request to another host is aborted; Swagger UI still lists the API's operations."""
    local = urlsplit(live_server.base_url).netloc
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_local)
    page.goto(f"{live_server.base_url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hiresight")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/jobs").first).to_be_visible()
    assert blocked == []
