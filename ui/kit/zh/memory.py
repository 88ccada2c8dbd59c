"""Simplified Chinese: LinearCrossEntropyLoss's memory panel (ui/views/loss/memory.py, measured.py)."""

ZH: dict[str, str] = {
    "Why it exists: the memory it saves": "为什么需要它：它省下的内存",
    "Tokens: the rows of the input x (batch × sequence length), each with its target class.": (
        "词元数：输入 x 的行数（批大小 × 序列长度），每行有一个目标类别。"
    ),
    "Vocabulary: the classes, the rows of the head's weight W (V × d).": "词表大小：类别数，即分类头权重 W（V × d）的行数。",
    "Hidden size: in_features, the length of each token's vector x.": "隐藏维度：in_features，每个词元的向量 x 的长度。",
    "The dtype of x and W.": "x 和 W 的数据类型（dtype）。",
    "Reference path (options=None): peak": "参考路径（options=None）：峰值",
    "Chunked path (LinearCrossEntropyOptions()): peak": "分块路径（LinearCrossEntropyOptions()）：峰值",
    "The N × V logits: {logits}. The reference path allocates four N × V tensors: the logits, their "
    "log-softmax and, in backward, the gradient of each.": (
        "N × V 的 logits：{logits}。参考路径会分配四个 N × V 张量：logits、它的 log-softmax，以及反向传播中二者各自的梯度。"
    ),
    "One chunk's logits, {rows} × V in {acc}: {chunk}; the gradients of x and W, computed in the forward pass.": (
        "一个分块的 logits，{rows} × V，类型为 {acc}：{chunk}；x 和 W 的梯度在前向传播中就已算出。"
    ),
    "The chunked path computes the logits {rows} rows at a time ({chunks} chunks): it never holds the N × V "
    "logits.": "分块路径每次只计算 {rows} 行 logits（共 {chunks} 块）：它从不同时持有 N × V 的 logits。",
    "Here one chunk is all N = {n} rows: the chunked path holds the whole N × V logits.": (
        "这里一个分块就是全部 N = {n} 行：分块路径持有完整的 N × V logits。"
    ),
    "torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} > d = {d}: from N = {n} tokens on.": (
        "torch 的规则：当 N ≥ d 且 V > d 时分块更划算。这里 V = {v} > d = {d}：从 N = {n} 个词元起。"
    ),
    "torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} ≤ d = {d}: at no N.": (
        "torch 的规则：当 N ≥ d 且 V > d 时分块更划算。这里 V = {v} ≤ d = {d}：按此规则，任何 N 都不算划算。"
    ),
    "tokens N": "词元数 N",
    "vocabulary V": "词表大小 V",
    "hidden size d": "隐藏维度 d",
    "A language model's last layer turns each of N tokens' hidden vectors x (d numbers each) into V logits, one "
    "score per entry of its vocabulary, by multiplying them with the head's weight W (V × d): the logits are an "
    "N × V matrix, and cross-entropy turns them into the loss. The reference path builds all N × V logits at once, "
    "and in backward their gradient too. The chunked path takes the tokens B rows at a time (B chosen by torch) and "
    "turns each chunk's B × V logits into its part of the loss and of the gradients of x and W before the next "
    "chunk: it never holds more than B × V logits.": (
        "语言模型的最后一层把 N 个词元各自的隐藏向量 x（每个有 d 个数）乘以分类头的权重 W（V × d），"
        "得到 V 个 logits，即词表中每一项的一个分数：logits 是一个 N × V 的矩阵，交叉熵再把它们变成损失。"
        "参考路径一次性构建全部 N × V 的 logits，反向传播时还要构建它们的梯度。分块路径每次取 B 行词元"
        "（B 由 torch 选定），先把这一块的 B × V logits 算成它那一份损失以及 x 和 W 的梯度，再处理下一块："
        "它同时持有的 logits 从不超过 B × V 个。"
    ),
    "At its peak these tensors are live at once:": "在峰值时刻，以下张量同时存在：",
    "In bytes: {terms} = {total} ({peak}).": "按字节计：{terms} = {total}（{peak}）。",
    "Here chunking saves {saved}: a peak of {chunked} instead of {reference}.": (
        "这里分块省下 {saved}：峰值为 {chunked}，而不是 {reference}。"
    ),
    "Here chunking costs memory instead of saving it: the chunked path's peak, {chunked}, is {extra} above the "
    "reference path's, {reference}.": (
        "这里分块非但不省内存，反而更费：分块路径的峰值 {chunked} 比参考路径的 {reference} 多 {extra}。"
    ),
    "Here chunking saves nothing: both paths' peaks are {peak}.": "这里分块没有省下内存：两条路径的峰值都是 {peak}。",
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at every N on the slider "
    "({first} to {last}).": "按模型计算的字节数，在滑块上的每个 N（{first} 至 {last}），分块路径的峰值都低于参考路径。",
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at the slider's N = {lower}, "
    "and not at N = {higher}.": (
        "按模型计算的字节数，在滑块的 N = {lower} 时，分块路径的峰值低于参考路径；在 N = {higher} 时则不低于。"
    ),
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at no N on the slider "
    "({first} to {last}).": "按模型计算的字节数，在滑块上的任何 N（{first} 至 {last}），分块路径的峰值都不低于参考路径。",
    "The rule, from LinearCrossEntropyOptions' docstring, looks at the shapes alone, and torch does not apply it: "
    "given options, it runs the chunked path at every N. The modelled peaks add up the bytes of the tensors each "
    "path holds (listed above), which depend on the dtype and on torch's chunk rows B as well.": (
        "该规则出自 LinearCrossEntropyOptions 的文档字符串，只看形状，而且 torch 并不执行它：只要传入 options，"
        "无论 N 是多少都走分块路径。模型算出的峰值则把每条路径持有的张量（见上方列表）的字节数相加，"
        "而这些字节数还取决于数据类型和 torch 选定的分块行数 B。"
    ),
    "On the slider the two disagree at N = {ns}.": "在滑块上，两者在 N = {ns} 时结论不同。",
    "On the slider the two agree at every N.": "在滑块上，两者在每个 N 上结论都一致。",
    "There the model predicts peaks of {reference} (reference path) and {chunked} (chunked path), the table's "
    "“peak (model)”: {reference_ratio} and {chunked_ratio} of the {full_reference} and {full_chunked} above.": (
        "在这个规模下，模型预测的峰值为 {reference}（参考路径）和 {chunked}（分块路径），即表中的“峰值（模型）”："
        "分别是上方 {full_reference} 和 {full_chunked} 的 {reference_ratio} 和 {chunked_ratio}。"
    ),
    "The CPU times are of this small size only, the best of 3 forward and backward passes on one thread without the "
    "profiler; the full setting's were not measured. Here the chunked path ran {chunks} chunks and {chunked} matrix "
    "products, the reference path {reference}.": (
        "CPU 时间只针对这个较小的规模：单线程、不开分析器，取 3 次前向加反向传播中最快的一次；完整设置下的时间没有测量。"
        "这里分块路径运行了 {chunks} 个分块、{chunked} 次矩阵乘法，参考路径运行了 {reference} 次。"
    ),
    # the tensors live at a peak (core/memory.py)
    "the log-softmax, saved for backward": "log-softmax（为反向传播保存）",
    "the gradient of the log-softmax (nll_loss's backward)": "log-softmax 的梯度（nll_loss 的反向传播）",
    "the gradient of the logits (log_softmax's backward)": "logits 的梯度（log_softmax 的反向传播）",
    "the gradient of x": "x 的梯度",
    "the gradient of W": "W 的梯度",
    "one chunk's logits (logits_buf)": "一个分块的 logits（logits_buf）",
    "one number per row of the chunk (tmp: row maxima, softmax factors)": "分块每行一个数（tmp：各行最大值、softmax 系数）",
    "the gradient of x, computed in forward": "x 的梯度（在前向传播中算出）",
    "the gradient of W, computed in forward": "W 的梯度（在前向传播中算出）",
    "the targets' mask (bool)": "目标的掩码（bool）",
    "the targets as indices (int64)": "目标的索引（int64）",
    "the targets' weights, one per token": "目标的权重，每个词元一个",
    "W's rows of the chunk's targets (index_select)": "该分块各目标对应的 W 的行（index_select）",
    "backward: the gradient of x times the upstream gradient, for x.grad": "反向传播：x 的梯度乘以上游梯度，交给 x.grad",
    "backward: the gradient of W times the upstream gradient, for W.grad": "反向传播：W 的梯度乘以上游梯度，交给 W.grad",
    "W in float32": "float32 的 W",
    "the chunk's gradient of W, in float32 (scratch)": "该分块对 W 的梯度，float32（临时缓冲区）",
    "the chunk's rows of x, in float32": "该分块的 x 各行，float32",
    "a float32 temporary of sub_, which adds the chunk into the bfloat16 gradient of W": (
        "sub_ 的一个 float32 临时张量（sub_ 把该分块加进 bfloat16 的 W 梯度）"
    ),
    "the gradient of x cast to bfloat16 after the loop": "循环结束后转换为 bfloat16 的 x 梯度",
    "bytes": "字节",
    "reference path": "参考路径",
    "chunked path": "分块路径",
    "the N × V logits": "N × V 的 logits",
    "N = d": "N = d",
    "The peak bytes of one forward and backward (x and W themselves not counted), from the buffers torch's code "
    "allocates on CPU for index targets, reduction='mean' and no bias; both axes logarithmic.": (
        "一次前向和反向传播的峰值字节数（不计 x 和 W 本身），按 torch 代码在 CPU 上分配的缓冲区计算"
        "（类别索引目标、reduction='mean'、无偏置）；两个坐标轴均为对数刻度。"
    ),
    "Measured on this server": "在本服务器上实测",
    "At a small size, the setting divided by {k} (each size at least 1): N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
    "(profile_memory=True) records every allocation of one forward and backward of each path.": (
        "在较小的规模上测量，即当前设置除以 {k}（每个维度至少为 1）：N = {n}，V = {v}，d = {d}，{dtype}。torch 的性能分析器"
        "（profile_memory=True）记录每条路径一次前向和反向传播中的每一次内存分配。"
    ),
    "Measure": "测量",
    "path": "路径",
    "peak (profiler)": "峰值（分析器）",
    "peak (model)": "峰值（模型）",
    "largest allocation": "最大单次分配",
    "CPU time (ms)": "CPU 时间（毫秒）",
    "The two paths agree: their losses differ by {loss} and their gradients by {grad} (relative), below 1e-5 "
    "in float32.": "两条路径结果一致：损失相差 {loss}，梯度相差 {grad}（相对误差），在 float32 下都小于 1e-5。",
    "In bfloat16 the two paths' losses differ by {loss} and their gradients by {grad} (relative): the reference "
    "path rounds its N × V tensors to bfloat16; the chunked path computes each chunk in float32 but adds up its "
    "chunks' losses, and their gradients of W, in bfloat16.": (
        "在 bfloat16 下两条路径的损失相差 {loss}，梯度相差 {grad}（相对误差）：参考路径把它的 N × V 张量舍入为 bfloat16；"
        "分块路径以 float32 计算每个分块，但以 bfloat16 累加各分块的损失以及它们对 W 的梯度。"
    ),
    "The two paths' losses differ by {loss} and their gradients by {grad} (relative): they compute the same values "
    "by different steps, each rounded to float32 (machine epsilon {eps}), and so rounded differently.": (
        "两条路径的损失相差 {loss}，梯度相差 {grad}（相对误差）：它们以不同的步骤计算相同的值，"
        "每一步都舍入为 float32（机器精度 {eps}），因而舍入方式不同。"
    ),
    "The profiler also counts the scratch buffers oneDNN's matmuls allocate and free within one call (the largest "
    "here: {scratch}), which the model leaves out: without them the reference path's peak is {reference} and the "
    "chunked path's {chunked}.": (
        "分析器还计入了 oneDNN 矩阵乘法在一次调用内分配又释放的临时缓冲区（这里最大的为 {scratch}），模型没有计入它们："
        "不算它们，参考路径的峰值为 {reference}，分块路径的为 {chunked}。"
    ),
}
