"""Simplified Chinese: the loss page's own texts (ui/views/loss/):
panels, headings, captions, messages.
"""

ZH: dict[str, str] = {
    "A starting point: the article's example, or a case worth seeing.": "起点：文章中的示例，或一个值得一看的情形。",
    "By hand": "手算",
    "By hand: {value}. torch: {torch}. The same number.": "手算：{value}。torch：{torch}。结果一致。",
    "By hand: {value}. torch: {torch}. They differ.": "手算：{value}。torch：{torch}。两者不同。",
    "Compare {name} values": "比较不同的 {name} 取值",
    "Copy as PyTorch": "复制为 PyTorch 代码",
    "Curve and gradient": "曲线与梯度",
    "Edit the batch: one row per sample. The table is not part of the link.": "编辑这一批数据：每行一个样本。表格内容不会写入链接。",
    "Gradient over time × class": "梯度（时间 × 类别）",
    "Row 0 holds the sliders' values, but in this batch torch gives it {row}, where the value above has "
    "{value}: the batch below is another one.": "第 0 行是滑块的取值，但在这批数据中 torch 给它的是 {row}，"
    "而上面的数值是 {value}：下面是另一批数据。",
    "Row 0 is the sliders' sample: it follows them and is not edited here, and torch gives it the "
    "per-element losses of the value above. Edit, add or delete the table's rows; without them the "
    "batch is that one sample.": "第 0 行是滑块的样本：它随滑块变化，不能在这里编辑；torch 给它的逐元素损失"
    "与上面数值的相同。表格中的行可以编辑、添加或删除；删去全部行后，这批数据就只有这一个样本。",
    "The value above is of the preset's own tensors ({shapes}), which are not a row of this table: "
    "the batch below is another one, the sliders' sample in row 0, then the table's rows.": "上面的数值来自预设"
    "自带的张量（{shapes}），它们不是此表格中的一行：下面是另一批数据，第 0 行是滑块的样本，其后是表格中的各行。",
    "Inputs": "输入",
    "Loss · reduction='{r}'": "损失 · reduction='{r}'",
    "Parameters": "参数",
    "Paste it into Python: it prints the value shown above.": "粘贴到 Python 中运行：它会打印出上面显示的数值。",
    "Preset": "预设",
    "Reductions": "归约",
    "Share this view": "分享此视图",
    "Sliders": "滑块",
    "Tensors: {shapes}": "张量：{shapes}",
    "The address bar always holds this link: every input, parameter and the preset; the batch table is not in it.": "地址栏始终保存着此链接：其中包含每个输入、每个参数和所选预设；批量表格不在其中。",
    "The link's preset {value} does not exist; showing the sliders.": "链接中的预设 {value} 不存在，改为显示滑块。",
    "The loss of the sample as the swept input varies (the others fixed), as reduction='sum' gives it for this one sample; below, its derivative by autograd.": "扫描的输入变化（其他量固定）时该样本的损失，即 reduction='sum' 对这一个样本给出的值；下方是 autograd 求出的导数。",
    "The value comes from the preset's own tensors, not from these inputs; moving one "
    "leaves the preset for the sliders.": "数值来自预设自带的张量，而不是这些输入；移动任一输入即离开预设，改用滑块。",
    "The table: {message}. Showing the original batch.": "表格有误：{message}。改为显示原始批数据。",
    "What to notice": "要点",
    "class {k}": "类别 {k}",
    "computed by torch.nn.{title} · {status}": "由 torch.nn.{title} 计算 · {status}",
    "current": "当前点",
    "finite ✓": "有限 ✓",
    "infinite ∞": "无穷 ∞",
    "not a number (NaN)": "非数值（NaN）",
    "{message} — showing the default {name} instead.": "{message}——改为显示默认的 {name}。",
    "… and {n} more elements.": "……另有 {n} 个元素。",
    "∂loss/∂z_t(c) for the first sequence, z its logits (log_probs = log_softmax(z)): the softmax minus the occupancy, p_t(c) − γ_t(c), scaled by the reduction. Red: gradient descent raises that logit; blue: it lowers it.": "第一个序列的 ∂loss/∂z_t(c)，z 为其 logits（log_probs = log_softmax(z)）：softmax 减去占用率，即 p_t(c) − γ_t(c)，再按归约方式缩放。红色：梯度下降会提高该 logit；蓝色：会降低它。",
    "Where the loss is infinite its gradient is not defined (NaN); zero_infinity=True sets it to zero.": "损失为无穷大时，其梯度没有定义（NaN）；zero_infinity=True 会把它置为零。",
    "The loss is infinite (or NaN) at every point of this curve: there is no line to draw.": "这条曲线上每一点的损失都是无穷大（或 NaN），因此无线可画。",
    "An edit may change at most {limit} rows, and this one named {rows}: the table is back to the "
    "original batch.": "一次编辑最多可修改 {limit} 行，这次编辑涉及 {rows} 行：表格已恢复为原始批次。",
    "Geometry": "几何视图",
    "NLLLoss over its inputs x0 and x1: a plane, since it only picks −w_y·x_y (0 when y is ignore_index).": "NLLLoss 在其输入 x0 和 x1 上的取值：一个平面，因为它只是取出 −w_y·x_y（y 等于 ignore_index 时为 0）。",
    "Only the angle between x₁ and x₂ matters, not their lengths, up to torch's guard: cos = x₁·x₂ / √((|x₁|² + 1e-12)(|x₂|² + 1e-12)), so a vector of length 0 counts as cos = 0. y = +1 pays 1 − cos; y = −1 pays cos − margin once the cosine exceeds the margin, i.e. within {angle}° of x₁ (dotted).": "只有 x₁ 与 x₂ 之间的夹角起作用，与它们的长度无关，只差 torch 的保护项：cos = x₁·x₂ / √((|x₁|² + 1e-12)(|x₂|² + 1e-12))，因此长度为 0 的向量按 cos = 0 计。y = +1 的代价为 1 − cos；y = −1 在余弦超过 margin 时付出 cos − margin，即与 x₁ 的夹角在 {angle}° 以内（点线）。",
    "Similar pairs (y = +1) pay their distance; dissimilar pairs (y = −1) pay until they are the margin apart (dotted).": "相似对（y = +1）的代价是它们的距离；不相似对（y = −1）在彼此相距 margin（点线）之前都要付出代价。",
    "The loss and the {probability} over the logits z0 and z1, z2 fixed at {z2}. Label smoothing and class weights change the loss, not the probability.": "损失与{probability}随 logit z0 和 z1 的变化，z2 固定为 {z2}。标签平滑和类别权重改变的是损失，而不是这个概率。",
    "The loss over (x1, x2) for y = +1 and y = −1: zero beyond the dashed line, where x1 − x2 = margin (y = +1) or x2 − x1 = margin (y = −1), and growing by 1 per unit of x1 − x2 on the other side.": "y = +1 和 y = −1 时损失在 (x1, x2) 上的取值：越过虚线后为零（虚线处 y = +1 时 x1 − x2 = margin，y = −1 时 x2 − x1 = margin），在虚线另一侧 x1 − x2 每变化 1，损失变化 1。",
    "The shares add up to the loss torch gives for this sample: {total}.": "各份额之和等于 torch 对该样本给出的损失：{total}。",
    "The target {row} as torch reads it: classes {read}; everything after the first -1 {ignored} is ignored.": "torch 所读取的目标 {row}：类别 {read}；第一个 -1 之后的所有内容 {ignored} 都被忽略。",
    "The target {row} as torch reads it: classes {read} (no -1: every entry is read).": "torch 所读取的目标 {row}：类别 {read}（没有 -1：每一项都会被读取）。",
    "anchor": "锚点",
    "d(a, p) = {dp}, d(a, n) = {dn}, d(p, n) = {ds}; the loss uses {used} for the negative.": "d(a, p) = {dp}，d(a, n) = {dn}，d(p, n) = {ds}；损失对负样本使用的是 {used}。",
    "A negative outside the dashed ring (radius d(a, p) + margin) costs nothing.": "位于虚线圆（半径 d(a, p) + margin）之外的负样本不产生损失。",
    "A negative outside both dashed rings (radius d(a, p) + margin, around the anchor and around the positive) costs nothing.": "同时位于两个虚线圆（半径 d(a, p) + margin，分别围绕锚点和正样本）之外的负样本不产生损失。",
    "The cosine distance depends only on the points' directions from the origin: no ring is drawn.": "余弦距离只取决于各点相对原点的方向：因此不画圆。",
    "Arrows: where gradient descent moves each point (autograd).": "箭头：梯度下降使每个点移动的方向（由 autograd 求出）。",
    "direction of x₂ in degrees": "x₂ 的方向（度）",
    "each class's share of the loss": "各类别在损失中的占比",
    "margin": "间隔",
    "margin ring": "间隔圆",
    "negative": "负样本",
    "positive": "正样本",
    "scores (true classes outlined)": "得分（真实类别加框标出）",
    "softmax probability of the true class": "真实类别的 softmax 概率",
    "softmax probability of the target's most likely class": "目标中概率最大的类别的 softmax 概率",
    "The preset's tensors have {classes} classes, {name} has {length} entries: "
    "{name} is left out of the value below (the curve still uses it).": "预设的张量有 {classes} 个类别，而 {name} 有 {length} 个分量："
    "下面的数值不使用 {name}（曲线仍然使用它）。",
    "The table holds at most {limit} rows, and this edit gave {rows}: it is back to the original batch.": "表格最多 {limit} 行，"
    "这次编辑得到 {rows} 行：已恢复为原始批次。",
    # LinearCrossEntropyLoss: the head plane (extras.py) and the equality panel (equality.py)
    "loss over the input x, the head fixed": "损失随输入 x 的变化（分类头固定）",
    "class boundary": "类别边界",
    "predicts {k}": "预测为 {k}",
    "Each arrow is a class's direction w_c, a row of the head's weight; the lines divide the plane by the class "
    "the head predicts, the one with the largest logit w_c·x + b_c. Label smoothing, class weights and "
    "ignore_index change the loss's contours, not these regions.": "每个箭头是一个类别的方向 w_c，即分类头权重的一行；"
    "实线按分类头预测的类别（logit w_c·x + b_c 最大的那个）划分平面。标签平滑、类别权重和 ignore_index "
    "改变的是损失的等高线，而不是这些区域。",
    "The target class's arrow is the thicker one.": "目标类别的箭头画得更粗。",
    "At the current x the head predicts class {k}; the contours are torch's reduction='none' loss, {loss} "
    "here.": "在当前的 x 处，分类头预测为类别 {k}；等高线是 torch 在 reduction='none' 下的损失，此处为 {loss}。",
    "The same loss: they differ by {d} ({ulps} machine epsilons at this size, ε = {eps}); agreeing means at "
    "most {limit}.": "同一个损失：两者相差 {d}，即在这个量级上 {ulps} 个机器精度（ε = {eps}）；"
    "相差不超过 {limit} 个即视为一致。",
    "They differ by {d} ({ulps} machine epsilons at this size, ε = {eps}): more than {limit}.": "两者相差 {d}，"
    "即在这个量级上 {ulps} 个机器精度（ε = {eps}）：超过了 {limit} 个。",
    "torch took its chunked path (options given), which computes the logits a chunk of samples at a time: the "
    "same loss.": "torch 走了分块路径（给出了 options），每次只计算一块样本的 logits：损失相同。",
    "options are given, but the chunked path needs label_smoothing = 0 and class-index targets: torch warned and "
    "took the reference path, the same value exactly.": "给出了 options，但分块路径要求 label_smoothing = 0 "
    "且目标为类别索引：torch 发出警告并走了参考路径，数值完全相同。",
    "options=None: torch's reference path, nn.Linear then cross-entropy: the same value exactly.": "options=None："
    "torch 的参考路径，先 nn.Linear 再交叉熵：数值完全相同。",
    "Both computed by torch with the same weight and bias, under the page's class weights, ignore_index, "
    "label_smoothing and reduction.": "两者都由 torch 计算，使用相同的权重和偏置，以及本页的类别权重、ignore_index、"
    "label_smoothing 和 reduction。",
}
