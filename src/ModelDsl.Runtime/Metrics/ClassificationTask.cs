namespace ModelDsl.Metrics;

/// <summary>
/// How a classification metric turns the model's outputs into predicted labels.
/// </summary>
public enum ClassificationTask
{
    /// <summary>
    /// One score per sample (shape N or N×1): a logit (<c>fromLogits: true</c>, the default, applies a
    /// sigmoid first) or a probability, compared with the threshold (default 0.5). Targets are 0/1.
    /// </summary>
    Binary,

    /// <summary>
    /// One score per class (shape N×C, or N×C×d1×… for dense prediction): the predicted label is the
    /// argmax, which is the same for logits and probabilities. Targets are class indices 0…C-1.
    /// Integer predictions with the targets' shape are taken as labels as they are.
    /// </summary>
    Multiclass,

    /// <summary>
    /// One independent score per label (shape N×L), each thresholded like <see cref="Binary"/>.
    /// Targets are N×L of 0/1.
    /// </summary>
    Multilabel,
}
