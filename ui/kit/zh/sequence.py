"""Simplified Chinese: the sequence losses' texts (core/losses/sequence.py):
summaries, notes, parameters, presets.
"""

ZH: dict[str, str] = {
    "This page draws the noise of a CTCLoss batch for the batch's longest T (one draw shared by all rows), and a row "
    "here is longer than the sliders' T: row 0's noise is not the sample's.": "本页按这批 CTCLoss 数据中最长的 T "
    "抽取噪声（所有行共用一次抽取），而这里有一行比滑块的 T 更长：第 0 行的噪声不是该样本的噪声。",
    "Where an alignment exists, torch's gradient for log_probs is p − γ (the softmax minus the occupancy), scaled by the reduction: the gradient for the logits z of log_probs = log_softmax(z). With log_probs held free the derivative would be −γ. Without an alignment it is NaN, or 0 with zero_infinity=True.": "存在对齐时，torch 对 log_probs 给出的梯度是 p − γ（softmax 减去占用率），再按归约方式缩放：这是对 log_probs = log_softmax(z) 中 logit z 的梯度。若把 log_probs 当作自由变量，导数应为 −γ。不存在对齐时，它为 NaN；zero_infinity=True 时为 0。",
    "The same too-short input with zero_infinity=True: the loss reads 0 and the gradient is zero, which hides the problem.": "同样过短的输入，但 zero_infinity=True：损失显示为 0，梯度为零，问题因此被掩盖。",
    "Fewer frames than the target needs: no alignment exists, the loss is ∞ and its gradient NaN.": "帧数少于目标所需：不存在任何对齐，损失为 ∞，梯度为 NaN。",
    "CTC is infinite when the input is too short for the target (T < target length + number of adjacent repeats); zero_infinity hides it.": "当输入相对目标太短（T < 目标长度 + 相邻重复数）时，CTC 损失为无穷；zero_infinity 会将其隐藏。",
    "How strongly the emissions favour one alignment of the target: the weight of its one-hot logits, to which the noise is added.": "发射概率偏向目标的某一对齐的强度：该对齐的 one-hot logits 的权重，噪声再加在其上。",
    "Replace infinite losses (no valid alignment) and their gradients by zero.": "把无穷大的损失（没有有效对齐）及其梯度替换为零。",
    "Sums over every alignment of the target to the input frames (blanks and repeats collapse).": "对目标到输入帧的所有对齐求和（空白符与重复字符会被合并）。",
    "T = 50, C = 20, N = 16, padded targets with S = 30 and lengths in [10, 30), as in the article.": "T = 50，C = 20，N = 16，目标经填充后 S = 30，长度在 [10, 30) 内，与文章相同。",
    "T too short": "T 太短",
    "The class index of the blank symbol.": "空白符的类别索引。",
    "The loss sums over every alignment. Without noise, stronger emissions along one alignment lower it steadily; with noise they lower it overall, though not at every step. It is infinite when T is too short for the target.": "损失对所有对齐求和。没有噪声时，沿某一对齐加强发射概率会使损失持续下降；有噪声时总体下降，但并非每一步都下降。当 T 对目标来说太短时，损失为无穷。",
    "The number of input frames T.": "输入帧数 T。",
    "The scale of the seeded random noise on the emission logits.": "发射 logit 上（固定种子）随机噪声的尺度。",
    "The seed of the noise.": "噪声的随机种子。",
    "The target: letters from 'abcde'; the blank is not a letter.": "目标：取自 'abcde' 的字母；空白符不是字母。",
    "alignment strength of the emissions": "发射的对齐强度",
    "mean divides each sequence's loss by its target length, then averages.": "mean 先将每个序列的损失除以其目标长度，再取平均。",
    "zero_infinity": "zero_infinity",
}
