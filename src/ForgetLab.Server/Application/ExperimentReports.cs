using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;
using ForgetLab.Server.Reports;

namespace ForgetLab.Server.Application;

/// <summary>
/// Assembles an experiment's <c>report.json</c> from its runs' reports with the lab's own
/// <see cref="ReportAssembly"/>, so <c>forgetlab report</c> shows the table <c>forgetlab lab run</c>
/// shows. The base's scores are those every run was compared against.
/// </summary>
public sealed class ExperimentReports(RunReportStore store, Experiments experiments, IGrainFactory grains)
{
    /// <summary>The report of the experiment's runs that have one, listing the runs and their states first.</summary>
    public async Task<ForgettingReport> Assemble(ExperimentView experiment, CancellationToken cancel)
    {
        // Only called for an experiment its caller may see: the platform lists the runs on that tenant's behalf.
        var caller = new Caller(experiment.TenantId, TenantRole.Viewer, "report");
        var runs = await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(experiment.TenantId, experiment.ExperimentId)).ListRuns(caller);
        return await Assemble(experiment, runs.Status == ReplyStatus.Ok ? runs.Value : [], cancel);
    }

    /// <summary>The report of <paramref name="runs"/> (the experiment's, as just listed) that have one.</summary>
    public async Task<ForgettingReport> Assemble(ExperimentView experiment, ImmutableArray<RunSummary> runs, CancellationToken cancel)
    {
        var reports = await store.ReadAll(experiment.TenantId, experiment.ExperimentId, runs.IsDefault ? [] : runs, cancel);

        var spec = experiments.SpecOf(experiment);
        var baseModel = new BaseModelReport(
            ReportAssembly.BaseModelName(spec), ReportAssembly.PlatformBaseModelHash(spec, experiment.TenantId), ReportAssembly.BaseSuitesOf(reports));
        return ReportAssembly.WithRunData(ReportAssembly.Assemble(spec.Name, DateTimeOffset.UtcNow, baseModel, reports));
    }
}
