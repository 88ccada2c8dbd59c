"""Security rules: no user text is ever evaluated or rendered as HTML, and XSRF protection stays on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_CODE = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").glob("*.py")),
    *sorted((ROOT / "core").rglob("*.py")),
]


def test_the_app_evaluates_nothing():
    for path in APP_CODE:
        text = path.read_text()
        assert not re.search(r"\b(eval|exec)\s*\(", text), path
        assert "__import__" not in text and "compile(" not in text, path


def test_no_html_is_rendered_from_values():
    """Markdown is never allowed raw HTML; the st.html calls render our constant stylesheets."""
    for path in APP_CODE:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path
        for call in re.findall(r"st\.html\(([^)]*)\)", text):
            assert call.strip() in ("PRESENTATION_CSS", "APP_CSS"), (path, call)
    from ui.kit.lecture import PRESENTATION_CSS
    from ui.kit.style import APP_CSS

    for css in (PRESENTATION_CSS, APP_CSS):
        assert isinstance(css, str) and css.startswith("<style>") and css.endswith("</style>")
        assert "<script" not in css and css.count("<") == 2


def test_xsrf_protection_is_not_turned_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    assert config.get("server", {}).get("enableCORS", True) is True


def test_a_visitor_never_sees_an_exceptions_details():
    """No traceback, message or server path in the browser (Streamlit shows a generic notice; the
    server's log keeps the details). tests/conftest.py turns the details back on for AppTest."""
    from streamlit.config import ShowErrorDetailsConfigOptions

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config.get("client", {}).get("showErrorDetails") == ShowErrorDetailsConfigOptions.NONE


def test_user_values_reach_messages_only_quoted():
    """A value from a link, a text field or a table cell is shown through ui.kit.safe.quoted (a short code
    span), never by repr() or an f-string into Markdown; tests/app/test_injection.py checks the pages."""
    for path in sorted((ROOT / "ui").glob("*.py")):
        if path.name != "safe.py":
            assert "repr(" not in path.read_text(), path
