"""What a stranger's link, a huge paste and a crash do in Chromium: a crafted link's Markdown, :emoji:,
directives and LaTeX show as literal text in a code span (no link, no image, no request to another
host); 3 000 rows pasted into a batch table are refused at once and cost nothing later; an exception
shows no message, no traceback and no server path."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from deploy.server import ROOT, free_port
from tests.browser.conftest import screenshot, wait_drawn, wait_idle
from ui.views.loss.batch import MAX_ROWS

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
    page.wait_for_function(  # the four notices of the link's four refused values
        "() => [...document.querySelectorAll('[data-testid=stAlert]')]"
        '.filter(a => a.innerText.includes("The link\'s value")).length >= 4',
        timeout=90_000,
    )
    wait_idle(page)
    alerts = page.locator("[data-testid=stAlert]")
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


def _server_cpu(url: str) -> float:
    """The CPU seconds used so far by the server listening at `url` (Linux: /proc)."""
    port = urllib.parse.urlparse(url).port
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    pid = out.split("pid=")[1].split(",")[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_huge_paste_into_the_batch_table_is_refused_and_costs_nothing_later(server, browser):
    """Before: the paste cost 4.5 s of server CPU, and each later slider move 4.3 s (the browser
    resent the 3 000 rows, and Streamlit applied them one by one again)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, permissions=["clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{server}/CTCLoss?lang=en")
        wait_drawn(page, 2)
        page.get_by_role("tab", name="Reductions").click()
        wait_idle(page)
        grid = page.locator("[data-testid=stDataFrame]").nth(1)  # the editor, after row 0 (read-only)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 40, box["y"] + 52)  # the first cell of the first row
        page.evaluate("text => navigator.clipboard.writeText(text)", "\n".join(["cab\t8\t2.0"] * 3000))
        start = _server_cpu(server)
        page.keyboard.press("Control+V")
        page.wait_for_selector(f"text=at most {MAX_ROWS} rows", timeout=60_000)
        wait_idle(page)
        assert _server_cpu(server) - start <= 0.5
        start = _server_cpu(server)
        for key in ("ArrowRight", "ArrowLeft"):
            page.locator("[data-testid=stSlider] input[type=range]").nth(2).focus()
            page.keyboard.press(key)
            page.wait_for_timeout(300)
            wait_idle(page)
        assert _server_cpu(server) - start <= 2 * 0.5  # two moves
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        context.close()
