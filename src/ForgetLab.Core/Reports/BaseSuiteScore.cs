using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>The base model's score on one suite version (percent for binary suites).</summary>
public sealed record BaseSuiteScore(
    string Suite,
    string Version,
    SuiteCategory Category,
    string Metric,
    double Score,
    int N);
