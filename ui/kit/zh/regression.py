"""Simplified Chinese: the regression losses' texts (core/losses/regression.py):
summaries, notes, parameters, presets.
"""

ZH: dict[str, str] = {
    "A residual ŷ − y of 3: L1 charges 3 and MSE 3² = 9; SmoothL1 and Huber are on their linear part there (for every beta and delta up to 3), so they grow like L1. Compare what it costs under each regression loss.": "残差 ŷ − y 为 3：L1 的代价是 3，MSE 是 3² = 9；SmoothL1 和 Huber 在那里处于线性部分（对 3 以内的每个 beta 和 delta 都是如此），因此像 L1 一样线性增长。比较它在各个回归损失下的代价。",
    "The error is larger than delta: the point sits on the linear part, where the gradient is clipped to ±delta and the loss is delta · (|ŷ − y| − delta/2).": "误差大于 delta：该点位于线性部分，梯度被截断为 ±delta，损失为 delta · (|ŷ − y| − delta/2)。",
    "An outlier": "一个离群点",
    "Article example": "文章示例",
    "How the per-element losses (what 'none' returns) become one number: 'sum' adds them; 'mean' divides that sum by their number, except CrossEntropyLoss and NLLLoss with class-index targets, which divide it by the sum of the targets' class weights w_y (1 each without weight), ignored targets left out.": "如何把逐元素的损失（'none' 返回的值）变成一个数：'sum' 把它们相加；'mean' 用这个和除以它们的个数——但使用类别索引目标的 CrossEntropyLoss 和 NLLLoss 例外：它们除以各目标的类别权重 w_y 之和（没有 weight 时每个为 1），被忽略的目标不计入。",
    "Huber(delta) = delta · SmoothL1(beta=delta) at every error: the same shape, scaled by delta (the same curve at delta = 1).": "在每个误差处 Huber(delta) = delta · SmoothL1(beta=delta)：形状相同，按 delta 缩放（delta = 1 时是同一条曲线）。",
    "Inside |ŷ − y| < beta the curve is MSE scaled by 0.5/beta; outside it is L1 shifted down by beta/2. The gradient never exceeds 1 in size.": "在 |ŷ − y| < beta 内，曲线是按 0.5/beta 缩放的 MSE；在此之外，是向下平移 beta/2 的 L1。梯度的大小绝不超过 1。",
    "Inside |ŷ − y| < delta the curve is MSE/2; outside, lines of slope ±delta. The gradient is clipped at ±delta.": "在 |ŷ − y| < delta 内，曲线是 MSE/2；在此之外，是斜率为 ±delta 的直线。梯度被截断在 ±delta。",
    "L1Loss on random 3 x 5 input and target, as in the article.": "随机 3 × 5 输入与目标上的 L1Loss，与文章相同。",
    "MSELoss on random 3 x 5 input and target, as in the article.": "随机 3 × 5 输入与目标上的 MSELoss，与文章相同。",
    "Mean absolute error: every unit of error costs the same, so outliers pull gently.": "平均绝对误差：每单位误差的代价相同，因此离群点的拉力较温和。",
    "Mean squared error: the cost grows with the square of the error, so outliers dominate.": "均方误差：代价随误差的平方增长，因此离群点占主导。",
    "Quadratic near zero, linear with slope delta beyond: the gradient never exceeds delta.": "在零附近是二次的，超出后是斜率为 delta 的线性：梯度绝不超过 delta。",
    "Small delta": "较小的 delta",
    "For beta > 0, SmoothL1(beta) equals Huber(delta=beta) divided by beta at every error: the same shape, scaled by 1/beta (the same curve at beta = 1).": "beta > 0 时，在每个误差处 SmoothL1(beta) 都等于 Huber(delta=beta) 除以 beta：形状相同，按 1/beta 缩放（beta = 1 时是同一条曲线）。",
    "SmoothL1Loss on random 3 x 5 input and target, as in the article.": "随机 3 × 5 输入与目标上的 SmoothL1Loss，与文章相同。",
    "Quadratic for |ŷ − y| < beta, linear beyond: smooth at zero like MSE (for beta > 0), with L1's slope of ±1 for large errors.": "|ŷ − y| < beta 时为二次，超出后为线性：在零处像 MSE 一样平滑（beta > 0 时），对大误差则具有 L1 的 ±1 斜率。",
    "The gradient is 2·(ŷ − y): it grows with the error, so one outlier can outweigh many small errors.": "梯度为 2·(ŷ − y)：它随误差增大，因此一个离群点就可能压过许多小误差。",
    "The gradient is ±1 wherever the prediction is off: a small error pulls as hard as a large one, and the slope jumps at zero.": "只要预测有偏差，梯度就是 ±1：小误差与大误差的拉力一样大，且斜率在零处跳变。",
    "The prediction ŷ.": "预测值 ŷ。",
    "The true value y.": "真实值 y。",
    "Where the quadratic part ends: for |ŷ − y| < beta the loss is 0.5·(ŷ − y)²/beta; beta = 0 gives L1.": "二次部分的终点：当 |ŷ − y| < beta 时，损失为 0.5·(ŷ − y)²/beta；beta = 0 即为 L1。",
    "Where the quadratic part ends; beyond it the loss grows linearly with slope delta.": "二次部分的终点；超出后，损失以斜率 delta 线性增长。",
    "beta = 0 is L1": "beta = 0 即 L1",
    "prediction ŷ (target fixed)": "预测值 ŷ（目标固定）",
}
