using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>
/// Small hand-computed fixtures. Every expected value in the tests is derived in the comments here.
/// </summary>
internal static class Fixtures
{
    internal const double Tol = 1e-9;

    // ---- Multiclass, 3 classes, 8 samples -------------------------------------------------------
    // targets : 0 0 0 1 1 2 2 2
    // argmax  : 0 0 0 0 1 2 2 1
    // confusion (row = true, col = pred):  [[3,0,0],[1,1,0],[0,1,2]]
    // tp = [3,1,2]   column sums [4,2,2] → fp = [1,1,0]   support (row sums) [3,2,3] → fn = [0,1,1]
    // precision = [3/4, 1/2, 2/2]  = [0.75, 0.5, 1]
    // recall    = [3/3, 1/2, 2/3]  = [1, 0.5, 0.6667]
    // f1 = 2tp/(2tp+fp+fn) = [6/7, 2/4, 4/5]
    // accuracy = micro P = micro R = micro F1 = 6/8 = 0.75
    // macro P = (0.75+0.5+1)/3 = 0.75;   macro R = (1+0.5+2/3)/3 = 13/18;  macro F1 = (6/7+1/2+4/5)/3
    // weighted P = (3·0.75 + 2·0.5 + 3·1)/8 = 6.25/8 = 0.78125;  weighted R = (3·1 + 2·0.5 + 3·2/3)/8 = 0.75
    // weighted F1 = (3·6/7 + 2·0.5 + 3·0.8)/8
    // balanced error rate = 1 − macro recall = 5/18
    // top-2: only sample 7 (target 2, scores [2,3,1] → top-2 = {1,0}) misses → 7/8; sample 3 (target 1,
    // scores [1.5,1,0.5]) is a top-1 miss but a top-2 hit.
    internal static readonly float[] McLogits =
    {
        2.0f, 1.0f, 0.0f,
        2.0f, 0.0f, 1.0f,
        3.0f, 1.0f, 2.0f,
        1.5f, 1.0f, 0.5f,
        0.0f, 2.0f, 1.0f,
        0.1f, 0.2f, 0.9f,
        -1.0f, 0.0f, 1.0f,
        2.0f, 3.0f, 1.0f,
    };
    internal static readonly long[] McTargets = { 0, 0, 0, 1, 1, 2, 2, 2 };
    internal static readonly long[,] McConfusion = { { 3, 0, 0 }, { 1, 1, 0 }, { 0, 1, 2 } };
    internal static readonly double[] McPrecision = { 0.75, 0.5, 1.0 };
    internal static readonly double[] McRecall = { 1.0, 0.5, 2.0 / 3 };
    internal static readonly double[] McF1 = { 6.0 / 7, 0.5, 0.8 };
    internal const double McMacroP = 0.75, McMacroR = 13.0 / 18, McMacroF1 = (6.0 / 7 + 0.5 + 0.8) / 3;
    internal const double McWeightedP = 0.78125, McWeightedR = 0.75, McWeightedF1 = (3 * 6.0 / 7 + 2 * 0.5 + 3 * 0.8) / 8;

    internal static Tensor McPred() => tensor(McLogits).reshape(8, 3);
    internal static Tensor McTarget() => tensor(McTargets);

    // ---- Binary, 6 samples (logits) -------------------------------------------------------------
    // logits  : 2.0 −1.0 0.5 −0.3 1.0 −2.0 → sigmoid ≥ 0.5 ⇔ logit ≥ 0 → preds 1 0 1 0 1 0
    // targets : 1   0    0   1    1   1
    // positive class: tp = {0,4} = 2, fp = {2} = 1, fn = {3,5} = 2, tn = {1} = 1
    // precision = 2/3, recall = 2/4 = 0.5, F1 = 4/(4+1+2) = 4/7, accuracy = 3/6 = 0.5
    // class 0 (negatives as "positive"): tp0 = tn = 1, fp0 = 2, fn0 = 1 → P0 = 1/3, R0 = 1/2, F1_0 = 2/5; support [2, 4]
    // macro P = (1/3 + 2/3)/2 = 0.5, macro R = 0.5, macro F1 = (0.4 + 4/7)/2
    // weighted P = (2·1/3 + 4·2/3)/6 = 5/9, weighted F1 = (2·0.4 + 4·4/7)/6, micro = accuracy = 0.5
    // balanced error rate = 1 − (0.5 + 0.5)/2 = 0.5
    // threshold 0.7: sigmoid(0.5) = 0.622 < 0.7 → sample 2 becomes 0: tp 2, fp 0, fn 2 → P = 1, R = 0.5
    internal static readonly float[] BinLogits = { 2.0f, -1.0f, 0.5f, -0.3f, 1.0f, -2.0f };
    internal static readonly long[] BinTargets = { 1, 0, 0, 1, 1, 1 };

    // ---- Multilabel, 4 samples × 3 labels (logit > 0 ⇒ 1) --------------------------------------
    // preds   : [1,0,1] [0,1,0] [1,1,0] [0,0,0]
    // targets : [1,0,0] [0,1,1] [1,0,0] [0,0,0]
    // label 0: tp 2 fp 0 fn 0 tn 2 → P 1,   R 1, F1 1,   support 2
    // label 1: tp 1 fp 1 fn 0 tn 2 → P 1/2, R 1, F1 2/3, support 1
    // label 2: tp 0 fp 1 fn 1 tn 2 → P 0,   R 0, F1 0,   support 1
    // micro: Σtp 3, Σfp 2, Σfn 1 → P 3/5, R 3/4, F1 6/9
    // macro: P 1.5/3 = 0.5, R 2/3, F1 (1 + 2/3)/3 = 5/9
    // weighted (support 2,1,1): P (2 + 0.5)/4 = 0.625, R 3/4, F1 (2 + 2/3)/4 = 2/3
    // Hamming accuracy: correct cells 4 + 3 + 2 = 9 of 12 = 0.75
    internal static readonly float[] MlLogits =
    {
        1.0f, -1.0f, 2.0f,
        -1.0f, 0.5f, -0.5f,
        3.0f, 1.0f, -2.0f,
        -1.0f, -1.0f, -1.0f,
    };
    internal static readonly long[] MlTargets = { 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0 };
}
