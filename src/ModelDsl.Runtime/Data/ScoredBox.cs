namespace ModelDsl.Data;

/// <summary>A predicted box with its confidence score (in [0, 1]), e.g. one detection after NMS.</summary>
public readonly record struct ScoredBox(LabeledBox Box, double Score);
