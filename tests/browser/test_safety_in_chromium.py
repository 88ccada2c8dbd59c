"""What a stranger's link and a crash show in Chromium: a crafted link's Markdown, :emoji:, directives and
LaTeX show as literal text in a code span (no link, no image, no request to another host), and an
exception shows no message, no traceback and no server path."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import screenshot, wait_idle
from tests.server import ROOT, free_port

pytestmark = pytest.mark.browser

EVIL = "evil.example"
LINK = {
    "lab.target": f"[Your session expired, sign in](https://{EVIL}/login)",
    "lab.T": f"![pixel](https://{EVIL}/p.png)",
    "lab.sharpness": ":red[**red**] :material/lock: :smile: $x^2$",
    "lab.path": "a\n\n# heading `code`",
    "lang": "en",
}


def test_a_crafted_link_shows_its_values_as_literal_text(server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url) if urllib.parse.urlparse(r.url).hostname == EVIL else None)
    page.goto(f"{server}/CTC_lab?{urllib.parse.urlencode(LINK)}")
    page.wait_for_selector("[data-testid=stAlert]", timeout=90_000)
    wait_idle(page)
    alerts = page.locator("[data-testid=stAlert]")
    assert alerts.count() >= 4
    html = " ".join(alerts.nth(i).inner_html() for i in range(alerts.count()))
    assert f'href="https://{EVIL}' not in html and "<img" not in html and "<h1" not in html
    assert "katex" not in html and "<strong>" not in html
    text = alerts.all_inner_texts()
    # (Streamlit's client writes ":material/lock:" as ":material_lock:" even in a code span: text, no icon)
    literal = ("[Your session expired, sign in](https://", "![pixel](https://", ":red[**red**]", ":material")
    assert page.locator("[data-testid=stAlert] [data-testid=stIconMaterial]").count() == 0
    for value in (*literal, ":smile:", "$x^2$", "\\n\\n# heading `code`"):
        assert any(value in shown for shown in text), value
    assert page.locator("[data-testid=stAlert] code").count() >= 4
    assert requests == []
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "safety_crafted_link")


def test_an_exception_shows_no_details_to_a_visitor(page, tmp_path):
    """A throwaway script that raises, served with the app's config (read from the working folder)."""
    script = tmp_path / "boom.py"
    script.write_text("import streamlit as st\nst.write('before')\nraise RuntimeError('secret detail')\n")
    port = free_port()
    log = (tmp_path / "log.txt").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        page.goto(f"http://127.0.0.1:{port}/")
        box = page.wait_for_selector("[data-testid=stException]", timeout=60_000)  # the tests still see it
        shown = box.inner_text() + page.locator("body").inner_text()
        assert "secret detail" not in shown and "RuntimeError" not in shown and "Traceback" not in shown
        assert str(ROOT) not in shown and str(tmp_path) not in shown and "site-packages" not in shown
        assert "boom.py" not in shown
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    assert "secret detail" in (tmp_path / "log.txt").read_text()  # the server's log keeps it
