"""Flags: why a result is infinite, NaN, clamped or not what the user meant. A code and its
values; the English text lives here, other languages translate the same template by code."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = {
    "bce_clamped": "A log of the input falls below -100 (the input is 0 or 1, or within e^-100 of them): torch "
    "clamps each log at -100, so an element's loss is at most 100 (times its weight).",
    "ce_probabilities": "The input looks like probabilities; CrossEntropyLoss expects logits and applies "
    "log-softmax itself.",
    "all_ignored": "Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN).",
    "nll_not_log_probs": "exp(input) sums to {mass}, not 1: NLLLoss does not check that its input is "
    "log-probabilities.",
    "kl_input_not_log": "exp(input) sums to {mass} per row, not 1: the input is not log-probabilities. "
    "Pass log-probabilities: `q.log()` for probabilities q, `F.log_softmax(logits, dim=-1)` for scores "
    "(and a target given as log-probabilities needs `log_target=True`).",
    "kl_mean": "reduction='mean' divides the sum by every element (batch × classes); 'batchmean' divides it by "
    "the batch size and gives the KL divergence averaged over the batch.",
    "mlm_after_padding": "Target {row}: everything after the first -1 is ignored.",
    "ctc_infeasible": "Sequence {n}: T = {T} < {need} = target length {S} + {repeats} adjacent repeats: no "
    "alignment exists, so the loss is infinite.",
    "zero_vector": "{point} is the zero vector, which has no direction: torch divides by {guard} in place of its "
    "length 0, so its cosine with any vector is 0, and the gradient of its cosine with a vector that is not zero, "
    "with respect to {point}, has length 1/{guard}.",
    "zero_vectors": "{point} and {other} are both the zero vector: torch divides by {guard} in place of each length "
    "0, so their cosine is 0, and its gradient with respect to each of them is 0, not of length 1/{guard}.",
    "ctc_zeroed": "zero_infinity=True reports 0 instead of the infinite loss, with a zero gradient.",
    "zero_weights": "The class weights of every kept target are 0, so reduction='mean' divides by their sum, 0 (NaN).",
    "kl_zero_q": "q is 0 where p is not: log q = −∞ there, so that class's term p · (log p − log q) is ∞, and so "
    "are the divergence and the target's gradient.",
    "kl_log_target_zero_p": "log_target=True and p is 0 in some class: the target there is log 0 = −∞, and torch "
    "computes exp(−∞) · (−∞ − x) = 0 · (−∞) = NaN, where the divergence's term is 0; the target's gradient is NaN "
    "too, and a NaN makes every reduction NaN. With log_target=False torch uses xlogy(p, p), which is 0 at p = 0.",
    "kl_zero_p_and_q": "p and q are both 0 in some class: torch computes p · log q = 0 · (−∞) = NaN there (only "
    "p · log p goes through xlogy, which gives 0), where the divergence's term is 0; a NaN makes every reduction NaN.",
    "kl_zero_p_grad": "p is 0 in some class: torch's gradient with respect to the target is NaN there (the derivative "
    "of p · log p, log p + 1, is −∞ at p = 0). The input's gradient stays finite.",
    "lce_options_ignored": "options is set, but the chunked path needs label_smoothing = 0 and class-index "
    "targets: torch warns “``options`` ignored” and computes the reference path (the same value as options=None), "
    "every logit at once.",
    "lce_chunked_nan_gradient": "Every target is ignored and options takes the chunked path: its gradients are NaN "
    "(the sum 'mean' divides by is 0, and torch divides them by NaN instead), where options=None gives 0.",
    "poisson_negative_rate": "log_input=False reads the input as the rate λ, but some entries have λ + eps ≤ 0 (these "
    "tensors hold log-rates, which may be negative): log(λ + eps) is then NaN, or −∞ at 0, and so the loss is not "
    "finite. A rate must be ≥ 0: set log_input=True for these tensors.",
}

# The flags that explain an infinite or NaN result (a value, or a gradient).
NONFINITE = frozenset(
    {
        "ctc_infeasible",
        "all_ignored",
        "zero_weights",
        "lce_chunked_nan_gradient",
        "kl_zero_q",
        "kl_log_target_zero_p",
        "kl_zero_p_and_q",
        "kl_zero_p_grad",
        "poisson_negative_rate",
    }
)


@dataclass(frozen=True)
class Flag:
    code: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return TEXT[self.code].format(**self.values)


def numbers(xs) -> str:
    """A few numbers for a flag's text."""
    return ", ".join(f"{x:.3g}" for x in xs[:4]) + (", ..." if len(xs) > 4 else "")
