"""User text (a link's value, typed text, a table cell) as the app shows it inside a message: a
Markdown code span, so that nothing in it is read as Markdown, and cut, so that a long value stays short."""

from __future__ import annotations

import re

from ui.kit.i18n import t

# The longest echo of a user value: enough to recognise what was typed, too short to carry a message.
LIMIT = 60


def quoted(value) -> str:
    """`value` as a Markdown code span, shown literally.

    Its repr makes control characters, newlines and invisible marks visible (\\n, \\x01, \\u202e); a
    code span's text is never read as Markdown, a link, an image, an :emoji:, a :color[directive] or
    $LaTeX$ (Streamlit's Markdown applies those to plain text only). The fence is one backtick longer
    than any run of backticks inside, so no text can close it early. Beyond LIMIT characters the text
    is cut with "…", and its full length is said."""
    shown = repr(value)
    cut = len(shown) > LIMIT + 2  # a value of LIMIT characters shows whole, with its quotes
    if cut:
        shown = shown[:LIMIT] + "…"
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""  # CommonMark strips one space each side
    span = f"{fence}{pad}{shown}{pad}{fence}"
    if not cut:
        return span
    length = len(value) if isinstance(value, str) else len(repr(value))  # what is cut is the repr
    return t("{value} ({n} characters)", value=span, n=f"{length:,}".replace(",", " "))
