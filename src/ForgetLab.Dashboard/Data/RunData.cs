using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Reports;

namespace ForgetLab.Dashboard.Data;

/// <summary>A run screen's data: the run as the grain holds it now, and its report once it has ended.</summary>
public sealed record RunData(RunView Run, RunReport? Report, IReadOnlyList<string> Suites);
