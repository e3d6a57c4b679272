namespace ForgetLab.Core.Reports;

/// <summary>A published experiment as the board ranks it: whose it is, the suites its spec names, and its report.</summary>
public sealed record BoardEntry(string TenantId, string ExperimentId, string? Description, IReadOnlyList<string> Suites, ForgettingReport Report);
