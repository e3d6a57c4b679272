using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;
using ForgetLab.Server.Reports;

namespace ForgetLab.Server.Application;

/// <summary>
/// Assembles an experiment's <c>report.json</c> from its runs' reports with the lab's own
/// <see cref="ReportAssembly"/>, so <c>forgetlab report</c> shows the table <c>forgetlab lab run</c>
/// shows. The base's scores are those every run was compared against.
/// </summary>
public sealed class ExperimentReports(RunReportStore store, Experiments experiments)
{
    private const int ConcurrentReads = 16;

    public async Task<ForgettingReport> Assemble(ExperimentView experiment, CancellationToken cancel)
    {
        // One blob per run: read them concurrently (bounded), so a 500-run experiment is not 500 round trips in a row.
        var read = new RunReport?[experiment.RunIds.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, read.Length), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = cancel },
            async (i, token) => read[i] = await store.Read(experiment.TenantId, experiment.ExperimentId, experiment.RunIds[i], token));
        var runs = read.OfType<RunReport>().ToList();

        var spec = experiments.SpecOf(experiment);
        var baseModel = new BaseModelReport(
            ReportAssembly.BaseModelName(spec), ReportAssembly.PlatformBaseModelHash(spec, experiment.TenantId), ReportAssembly.BaseSuitesOf(runs));
        return ReportAssembly.Assemble(spec.Name, DateTimeOffset.UtcNow, baseModel, runs);
    }
}
