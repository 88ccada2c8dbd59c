"""Simplified Chinese: LinearCrossEntropyLoss's memory panel (ui/views/loss/memory.py)."""

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
    "By the modelled bytes, the chunked path's peak is below the reference path's from N = {n} tokens on "
    "(up to N = {high}).": "按模型计算的字节数，从 N = {n} 个词元起（直到 N = {high}），分块路径的峰值低于参考路径。",
    "By the modelled bytes, the chunked path's peak is not below the reference path's at N = {high}.": (
        "按模型计算的字节数，在 N = {high} 时分块路径的峰值并不低于参考路径。"
    ),
    "tokens N": "词元数 N",
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
    "At a small size, the setting divided by {k}: N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
    "(profile_memory=True) records every allocation of one forward and backward of each path.": (
        "在较小的规模上测量，即当前设置除以 {k}：N = {n}，V = {v}，d = {d}，{dtype}。torch 的性能分析器"
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
