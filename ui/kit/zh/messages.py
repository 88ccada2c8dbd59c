"""Simplified Chinese: warnings and errors from core/:
flags (core/flags.py), allowed values (core/params.py), build errors.
"""

ZH: dict[str, str] = {
    "{point} is the zero vector, which has no direction: torch divides by {guard} in place of its length 0, so its cosine with any vector is 0, and the gradient of its cosine with a vector that is not zero, with respect to {point}, has length 1/{guard}.": "{point} 是零向量，没有方向：torch 用 {guard} 代替它的长度 0 作除数，因此它与任何向量的余弦都是 0；它与一个非零向量的余弦对 {point} 的梯度长度为 1/{guard}。",
    "{point} and {other} are both the zero vector: torch divides by {guard} in place of each length 0, so their cosine is 0, and its gradient with respect to each of them is 0, not of length 1/{guard}.": "{point} 和 {other} 都是零向量：torch 用 {guard} 分别代替它们的长度 0 作除数，因此它们的余弦是 0，该余弦对两者各自的梯度也都是 0，而不是长度为 1/{guard}。",
    "-100 (none) with class-probability targets: it applies to class indices only": "目标为类别概率时只能为 -100（不忽略）：ignore_index 只适用于类别索引",
    "None (torch's default) with class-probability targets: it applies to class indices only": "目标为类别概率时只能为 None（torch 的默认值）：ignore_index 只适用于类别索引",
    "options is set, but the chunked path needs label_smoothing = 0 and class-index targets: torch warns “``options`` ignored” and computes the reference path (the same value as options=None), every logit at once.": "设置了 options，但分块路径要求 label_smoothing = 0 且目标为类别索引：torch 会警告“``options`` ignored”并改走参考路径（结果与 options=None 相同），一次算出全部 logit。",
    "1 to {length} letters from '{alphabet}'": "1 到 {length} 个取自 '{alphabet}' 的字母",
    "A log of the input falls below -100 (the input is 0 or 1, or within e^-100 of them): torch clamps each log at -100, so an element's loss is at most 100 (times its weight).": "输入的某个 log 低于 -100（输入为 0 或 1，或与之相差不到 e^-100）：torch 把每个 log 截断在 -100，因此单个元素的损失至多为 100（乘以其权重）。",
    "Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN).": "所有目标都等于 ignore_index，因此 reduction='mean' 会计算 0 除以 0（NaN）。",
    "Every target is ignored and options takes the chunked path: its gradients are NaN (the sum 'mean' divides by is 0, and torch divides them by NaN instead), where options=None gives 0.": "所有目标都被忽略，且 options 走分块路径：其梯度为 NaN（'mean' 所除的和为 0，torch 改为用 NaN 去除梯度），而 options=None 时梯度为 0。",
    "None, or {length} numbers, each with {low} ≤ x ≤ {high}": "None，或 {length} 个数，每个满足 {low} ≤ x ≤ {high}",
    "Sequence {n}: T = {T} < {need} = target length {S} + {repeats} adjacent repeats: no alignment exists, so the loss is infinite.": "序列 {n}：T = {T} < {need} = 目标长度 {S} + {repeats} 个相邻重复：不存在任何对齐，因此损失为无穷。",
    "Target {row}: everything after the first -1 is ignored.": "目标 {row}：第一个 -1 之后的内容都会被忽略。",
    "The input looks like probabilities; CrossEntropyLoss expects logits and applies log-softmax itself.": "输入看起来像概率；CrossEntropyLoss 期望的是 logit，它会自行做 log-softmax。",
    "True or False": "True 或 False",
    "a number with {low} ≤ {name} ≤ {high}": "满足 {low} ≤ {name} ≤ {high} 的数",
    "a rate λ ≥ 0 when log_input=False": "速率 λ ≥ 0（log_input=False 时）",
    "a whole number with {low} ≤ {name} ≤ {high}": "满足 {low} ≤ {name} ≤ {high} 的整数",
    "at least one row": "至少一行",
    "class indices 0..{last}, padded with -1": "类别索引 0..{last}，以 -1 填充",
    "exp(input) sums to {mass} per row, not 1: the input is not log-probabilities. "
    "Pass log-probabilities: `q.log()` for probabilities q, `F.log_softmax(logits, dim=-1)` for scores "
    "(and a target given as log-probabilities needs `log_target=True`).": "exp(input) 每行之和为 {mass}，而不是 1："
    "输入不是对数概率。请传入对数概率：概率 q 用 `q.log()`，得分用 `F.log_softmax(logits, dim=-1)`"
    "（若目标也以对数概率给出，需设 `log_target=True`）。",
    "exp(input) sums to {mass}, not 1: NLLLoss does not check that its input is log-probabilities.": "exp(input) 之和为 {mass}，而不是 1：NLLLoss 不会检查其输入是否为对数概率。",
    "inputs": "输入",
    "one of the {what}: {names}": "{what}之一（{names}）",
    "one of {choices}": "{choices} 之一",
    "options": "选项",
    "parameters": "参数",
    "reduction='mean' divides the sum by every element (batch × classes); 'batchmean' divides it by the batch size "
    "and gives the KL divergence averaged over the batch.": "reduction='mean' 将总和除以全部元素的个数（批大小 × 类别数）；"
    "'batchmean' 将其除以批大小，得到在批上平均的 KL 散度。",
    "target weights ≥ 0 with a positive sum": "目标权重 ≥ 0 且总和为正",
    "weights ≥ 0 with a positive sum": "权重 ≥ 0 且总和为正",
    "zero_infinity=True reports 0 instead of the infinite loss, with a zero gradient.": "zero_infinity=True 时报告 0 而非无穷大的损失，梯度也为零。",
    "{length} numbers, each with {low} ≤ x ≤ {high}": "{length} 个数，每个满足 {low} ≤ x ≤ {high}",
    "1 to 40 symbols from '{alphabet}' and '-' for the blank": "1 到 40 个取自 '{alphabet}' 的符号，以及表示空白符的 '-'",
    "The class weights of every kept target are 0, so reduction='mean' divides by their sum, 0 (NaN).": "所有保留目标的类别权重都为 0，因此 reduction='mean' 要除以它们的和 0（NaN）。",
    "q is 0 where p is not: log q = −∞ there, so that class's term p · (log p − log q) is ∞, and so are the "
    "divergence and the target's gradient.": "q 在 p 不为 0 的地方为 0：那里 log q = −∞，因此该类别的项 "
    "p · (log p − log q) 为 ∞，散度和对目标的梯度也都为 ∞。",
    "log_target=True and p is 0 in some class: the target there is log 0 = −∞, and torch computes "
    "exp(−∞) · (−∞ − x) = 0 · (−∞) = NaN, where the divergence's term is 0; the target's gradient is NaN too, and a "
    "NaN makes every reduction NaN. With log_target=False torch uses xlogy(p, p), which is 0 at p = 0.": "log_target=True "
    "且 p 在某个类别上为 0：那里的目标是 log 0 = −∞，torch 计算 exp(−∞) · (−∞ − x) = 0 · (−∞) = NaN，而散度中该项为 0；"
    "对目标的梯度也是 NaN，且一个 NaN 会使每种归约都为 NaN。log_target=False 时 torch 使用 xlogy(p, p)，它在 p = 0 处为 0。",
    "p and q are both 0 in some class: torch computes p · log q = 0 · (−∞) = NaN there (only p · log p goes through "
    "xlogy, which gives 0), where the divergence's term is 0; a NaN makes every reduction NaN.": "p 和 q 在某个类别上都为 0："
    "torch 在那里计算 p · log q = 0 · (−∞) = NaN（只有 p · log p 经过 xlogy，得到 0），而散度中该项为 0；"
    "一个 NaN 会使每种归约都为 NaN。",
    "p is 0 in some class: torch's gradient with respect to the target is NaN there (the derivative of p · log p, "
    "log p + 1, is −∞ at p = 0). The input's gradient stays finite.": "p 在某个类别上为 0：torch 对目标的梯度在那里为 NaN"
    "（p · log p 的导数 log p + 1 在 p = 0 处为 −∞）。对输入的梯度仍是有限的。",
    "log_input=False reads the input as the rate λ, but some entries have λ + eps ≤ 0 (these tensors hold log-rates, "
    "which may be negative): log(λ + eps) is then NaN, or −∞ at 0, and so the loss is not finite. A rate must be ≥ 0: "
    "set log_input=True for these tensors.": "log_input=False 把输入当作速率 λ，但有些元素的 λ + eps ≤ 0（这些张量存的是"
    "对数速率，可能为负）：此时 log(λ + eps) 为 NaN（恰为 0 时为 −∞），因此损失不是有限值。速率必须 ≥ 0："
    "对这些张量请设置 log_input=True。",
}
