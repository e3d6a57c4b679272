namespace ForgetLab.Core.Analysis;

/// <summary>Outcome of a paired bootstrap on per-item differences (checkpoint − base).</summary>
/// <param name="MeanDifference">Observed mean of the per-item differences.</param>
/// <param name="Ci95">Percentile 95% interval of the resampled means.</param>
/// <param name="PValue">Two-sided bootstrap p-value for "mean difference is 0".</param>
/// <param name="Resamples">Number of resamples B.</param>
public sealed record BootstrapResult(double MeanDifference, ConfidenceInterval Ci95, double PValue, int Resamples);
