namespace ForgetLab.Core.Search;

/// <summary>How a set of forecasts did: how many final values fell inside their 95% interval, and the errors (points).</summary>
/// <param name="MeanAbsoluteError">Mean |forecast − measured|.</param>
/// <param name="MeanError">Mean forecast − measured: above 0, the forecast overstated forgetting.</param>
/// <param name="MedianWidth">Median width of the intervals (high − low).</param>
public sealed record ForecastSummary(int Runs, int Inside, double MeanAbsoluteError, double MeanError, double MedianWidth);
