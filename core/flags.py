"""Flags: why a result is infinite, NaN, clamped or not what the user meant. A code and its
values; the English text lives here, other languages translate the same template by code."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = {
    "bce_clamped": "An input of exactly 0 or 1 makes a log infinite; torch clamps each log at -100, so an "
    "element's loss is at most 100.",
    "ce_probabilities": "The input looks like probabilities; CrossEntropyLoss expects logits and applies "
    "log-softmax itself.",
    "all_ignored": "Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN).",
    "nll_not_log_probs": "exp(input) sums to {mass}, not 1: NLLLoss does not check that its input is "
    "log-probabilities.",
    "kl_input_not_log": "exp(input) sums to {mass} per row, not 1: the input is not log-probabilities. "
    "Pass log-probabilities: `q.log()` for probabilities q, `F.log_softmax(logits, dim=-1)` for scores "
    "(and a target given as log-probabilities needs `log_target=True`).",
    "kl_mean": "reduction='mean' divides by every element; 'batchmean' is the KL divergence of the maths.",
    "mlm_after_padding": "Target {row}: everything after the first -1 is ignored.",
    "ctc_infeasible": "Sequence {n}: T = {T} < {need} = target length {S} + {repeats} adjacent repeats: no "
    "alignment exists, so the loss is infinite.",
    "zero_vector": "{point} is the zero vector, which has no direction: torch divides by {guard} in place of its "
    "length 0, so its cosine with any vector is 0 and the gradient of that cosine with respect to {point} has "
    "length 1/{guard}.",
    "ctc_zeroed": "zero_infinity=True reports 0 instead of the infinite loss, with a zero gradient.",
    "zero_weights": "The class weights of every target are 0, so reduction='mean' divides 0 by 0 (NaN).",
    "kl_zero_q": "q is 0 where p is not: no finite code can describe p with q, so the divergence is infinite.",
}

# The flags that explain an infinite or NaN result.
NONFINITE = frozenset({"ctc_infeasible", "all_ignored", "zero_weights", "kl_zero_q"})


@dataclass(frozen=True)
class Flag:
    code: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return TEXT[self.code].format(**self.values)


def numbers(xs) -> str:
    """A few numbers for a flag's text."""
    return ", ".join(f"{x:.3g}" for x in xs[:4]) + (", ..." if len(xs) > 4 else "")
