"""Simplified Chinese for every English string of the app (the English text is the key).

One module per part of the app, merged here into `ZH` (a text is in exactly one of them):
- a loss family's texts (its specs' summaries, notes, parameters, presets) in the module named like its
  file in core/losses/: `regression`, `probabilistic`, `classification`, `margin`, `embedding`, `sequence`;
- `messages`: flags, allowed values and build errors raised by core/;
- `loss`: the loss page (ui/views/loss/), `memory` its LinearCrossEntropyLoss memory panel;
- `tools`: CTC lab, pitfalls, compare, playground;
- `kit`: the shell (app.py, ui/kit/: home, sidebar, page titles, scenarios, widgets).
"""

from ui.kit.zh import (
    classification,
    embedding,
    kit,
    loss,
    margin,
    memory,
    messages,
    probabilistic,
    regression,
    sequence,
    tools,
)

PARTS = (regression, probabilistic, classification, margin, embedding, sequence, messages, loss, memory, tools, kit)


def _merge() -> dict[str, str]:
    out: dict[str, str] = {}
    for part in PARTS:
        twice = out.keys() & part.ZH.keys()
        assert not twice, f"{part.__name__} translates again: {sorted(twice)}"
        out.update(part.ZH)
    return out


ZH: dict[str, str] = _merge()
