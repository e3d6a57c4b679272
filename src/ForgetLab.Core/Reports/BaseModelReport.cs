namespace ForgetLab.Core.Reports;

/// <summary>
/// The model every run starts from; its hash ties the baseline scores to exact weights so that
/// a cached baseline is never reused for a different model.
/// </summary>
public sealed record BaseModelReport(
    string Model,
    string ModelHash,
    IReadOnlyList<BaseSuiteScore> Suites);
