"""Simplified Chinese: the shell's texts (app.py, ui/kit/):
home, sidebar and family titles, page titles, scenarios, widgets.
"""

ZH: dict[str, str] = {
    "Classification": "分类",
    "Embedding": "嵌入",
    "{n} of the {total} loss classes of torch.nn, computed live by real PyTorch: move the sliders for the prediction, the target and the loss's own parameters, and watch the value, the curve and the gradient change. Each loss also shows its formula worked by hand and the code that reproduces it.": "torch.nn 的 {total} 个损失类中的 {n} 个，都由真实的 PyTorch 实时计算：拖动预测、目标以及损失自身参数的滑块，观察数值、曲线和梯度如何变化。每个损失还给出公式的手算过程，以及能复现结果的代码。",
    "Home": "首页",
    "Margin & ranking": "间隔与排序",
    "Probabilistic": "概率",
    "Regression": "回归",
    "Sequence": "序列",
    "The link's value {value} for {name} is not allowed ({allowed}); the default is used.": "链接中 {name} 的值 {value} 不合法（应为：{allowed}），已改用默认值。",
    "The link gives {name} {count} times ({values}); the last one is used.": "链接中 {name} 出现了 {count} 次（{values}）；使用最后一个值。",
    "{name} = {value} is not allowed: {allowed}": "{name} = {value} 不合法，应为：{allowed}",
    "CTC lab": "CTC 实验室",
    "Compare losses": "比较损失",
    "Pitfalls": "常见陷阱",
    "Losses": "损失函数",
    "'aa' needs {need} frames (a, blank, a): with {T} there is no alignment and the loss is ∞.": "'aa' 需要 {need} 帧（a、空白符、a）：只有 {T} 帧时不存在对齐，损失为 ∞。",
    "CTC goes infinite": "CTC 变为无穷大",
    "Data as CSV": "数据（CSV）",
    "Each link opens the exact view; share it with a class.": "每个链接都会精确打开对应的视图，可直接分享给全班。",
    "Hinge, squared hinge and logistic loss: convex surrogates of the 0-1 loss; only the hinge never drops below it.": "铰链损失、平方铰链损失与 logistic 损失：0-1 损失的凸替代；只有铰链损失从不低于它。",
    "Huber against outliers, trained": "Huber 对抗离群点：实际训练",
    "Larger type, figures and lines for a projector; secondary panels hidden.": "为投影仪加大字号、图形和线条；隐藏次要面板。",
    "Logits {scale}× (2, 1, 0.1): with the softmax first the loss is {wrong} instead of {right}, and no logits bring it below {floor}.": "logit 为 {scale}× (2, 1, 0.1)：若先做 softmax，损失为 {wrong} 而不是 {right}，且任何 logit 都无法让它低于 {floor}。",
    "One outlier at {r}: MSE pays {mse} and pulls with a gradient of {mse_grad}; Huber pays {huber} and pulls with {huber_grad}.": "一个位于 {r} 处的离群点：MSE 的损失为 {mse}，以大小为 {mse_grad} 的梯度拉动；Huber 的损失仅为 {huber}，拉力为 {huber_grad}。",
    "Presentation mode": "演示模式",
    "Press Train: the MSE line is pulled up towards the outliers; L1 and Huber stay near the true line.": "按下“训练”：MSE 的直线被离群点向上拉；而 L1 和 Huber 的直线仍贴近真实直线。",
    "Probabilities passed where torch expects log-probabilities: a negative 'divergence'.": "在 torch 期望对数概率的地方传入了概率：得到一个为负的“散度”。",
    "Scenarios for a lecture": "课堂场景",
    "Softmax before cross-entropy": "在交叉熵之前先做 softmax",
    "Surrogates of the 0-1 loss": "0-1 损失的替代损失",
    "The article's KL example": "文章中的 KL 示例",
    "The negative is closer to the positive than to the anchor: swap uses d(p, n) and the loss grows.": "负样本离正样本比离锚点更近：swap 改用 d(p, n)，损失随之增大。",
    "Training playground": "训练游乐场",
    "What swap changes": "swap 改变了什么",
    "Why Huber": "为什么用 Huber",
    "Why LLMs chunk their loss": "为什么大语言模型要分块计算损失",
    "{n} tokens, a vocabulary of {v}, d = {d}, float32: the reference path holds all the logits at once, "
    "{logits}, and peaks at {ref_peak}; the chunked path holds {rows} rows of them at a time, {chunk}, and "
    "peaks at {chunked_peak}.": "{n} 个词元，词表大小 {v}，d = {d}，float32：参考路径一次保存全部 logits，"
    "共 {logits}，峰值 {ref_peak}；分块路径每次只保存其中 {rows} 行，每块 {chunk}，峰值 {chunked_peak}。",
    "The curve of {name}": "{name} 的曲线",
    "{value} ({n} characters)": "{value}（共 {n} 个字符）",
    "None (default)": "None（默认）",
}
