using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Reports;

namespace ForgetLab.Dashboard.Data;

/// <summary>A run screen's data: the run as the grain holds it now, its report once it has ended, and its experiment's base model.</summary>
public sealed record RunData(RunView Run, RunReport? Report, IReadOnlyList<string> Suites, ModelArchitecture? Base = null);
