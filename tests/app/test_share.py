"""The loss page's "Share this view" popover: its link is made only while it is open (a slider move
sends one element for it, not three), and when open it holds the page's link."""

from __future__ import annotations

import urllib.parse

from core.catalog import BY_KEY
from deploy.apptest import open_page


def _links(at) -> list[str]:
    return [c.value for c in at.code if c.value.startswith(("?", "http"))]


def test_the_closed_popover_holds_nothing_and_the_open_one_the_pages_link():
    at = open_page(BY_KEY["huber"], {"huber.delta": "0.5"})
    assert not at.exception
    assert _links(at) == []  # closed: no link built, none sent
    at.session_state["huber.share"] = True  # the browser opens it
    at.run()
    (link,) = _links(at)
    assert urllib.parse.parse_qs(link.split("?", 1)[1])["huber.delta"] == ["0.5"]
    # (that it follows a slider moved in the browser: tests/browser/test_app_in_chromium.py)
    at.session_state["huber.share"] = False
    at.run()
    assert _links(at) == []
