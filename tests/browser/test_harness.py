"""The browser-test harness itself: a Chromium that died is launched again for the next test."""

from __future__ import annotations

from tests.browser.conftest import Chromium


def test_a_dead_browser_is_launched_again(chromium: Chromium) -> None:
    """Closing the browser (as a crash would) gives the next test a new, connected one."""
    first = chromium.get()
    assert chromium.get() is first  # alive: the same browser
    launches = chromium.launches
    first.close()
    second = chromium.get()
    assert second is not first
    assert second.is_connected()
    assert chromium.launches == launches + 1
