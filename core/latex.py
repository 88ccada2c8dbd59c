"""Number formatting for the LaTeX of formulas and step-by-step breakdowns."""

from __future__ import annotations

import math


def num(x: float, digits: int = 4) -> str:
    """A number as LaTeX, to `digits` significant digits; infinities and NaN spelled out."""
    x = float(x)
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        if mantissa in ("1", "-1"):  # 1e-06 reads 10^{-6}
            return rf"{mantissa[:-1]}10^{{{int(exp)}}}"
        return rf"{mantissa} \times 10^{{{int(exp)}}}"
    return "0" if text == "-0" else text


def vec(xs) -> str:
    """A short vector as LaTeX: (a, b, c)."""
    return "(" + ", ".join(num(x) for x in xs) + ")"


def number_text(x: float) -> str:
    """A number as plain text (metrics, tables, captions): 6 significant digits; ∞, −∞ and NaN by name."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.6g}"
