namespace ModelDsl.Training;

/// <summary>
/// The LR finder's curve and suggestions. <see cref="Losses"/> are exponentially smoothed (β=0.98,
/// bias-corrected) like fastai's, because raw per-batch losses are too noisy to read a slope from.
/// </summary>
/// <param name="LearningRates">The rate of each recorded step (exponentially spaced).</param>
/// <param name="Losses">Smoothed training loss at each rate.</param>
/// <param name="Suggestion">fastai's "valley": two-thirds of the way down the longest decreasing stretch of the curve.</param>
/// <param name="Steepest">The rate where the smoothed loss falls fastest (per log-lr).</param>
/// <param name="MinimumOver10">One tenth of the rate with the lowest smoothed loss.</param>
public sealed record LrFindResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses, double Suggestion, double Steepest, double MinimumOver10);
