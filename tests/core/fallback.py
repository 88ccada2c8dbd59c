"""LinearCrossEntropyLoss's fallback, as torch reports it: with options set but label_smoothing ≠ 0 or
class-probability targets, torch warns "``options`` ignored" and takes the reference path."""

from __future__ import annotations

import warnings

IGNORED = "``options`` ignored"


def recording_fallback(fn):
    """fn() with torch's warnings recorded, not shown: (its result, whether torch fell back)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, any(IGNORED in str(w.message) for w in caught)
