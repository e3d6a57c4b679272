using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Contracts.Experiments;

namespace ForgetLab.Server.Reports;

/// <summary>
/// Assembles an experiment's <c>report.json</c> from its runs' reports: the same shape, the same
/// frontier rule and the same Markdown as the stand-alone lab writes, so <c>forgetlab report</c> shows
/// the table <c>forgetlab lab run</c> shows. The base's scores are those every run was compared against.
/// </summary>
public sealed class ExperimentReports(RunReportStore store, Microsoft.Extensions.Options.IOptions<Grains.Hosting.ExperimentOptions> experimentOptions)
{
    private const int ConcurrentReads = 16;

    public async Task<ForgettingReport> Assemble(ExperimentView experiment, CancellationToken cancel)
    {
        // One blob per run: read them concurrently (bounded), so a 500-run experiment is not 500 round trips in a row.
        var read = new RunReport?[experiment.RunIds.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, read.Length), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = cancel },
            async (i, token) => read[i] = await store.Read(experiment.TenantId, experiment.ExperimentId, experiment.RunIds[i], token));
        var runs = read.OfType<RunReport>().ToList();

        var points = runs.Where(r => r.Checkpoints.Count > 0).Select(r => (r.Name, r.TargetGainPoints, r.ForgettingPoints)).ToList();
        var frontier = points.Count == 0 ? [] : ParetoFront.Compute(points);
        runs = runs.Select(r => r with { ParetoOptimal = frontier.Contains(r.Name) }).ToList();

        // Read under the rule the spec was accepted under, so its suite paths resolve where they did.
        var spec = SpecLoader.ParseUnder(experiment.SpecText, $"{experiment.ExperimentId}.yaml", experimentOptions.Value.SpecFiles);
        var baseSuites = runs.SelectMany(r => r.Suites).GroupBy(s => s.Suite)
            .Select(g => g.First())
            .Select(s => new BaseSuiteScore(s.Suite, s.Version, s.Category, s.Metric, s.Base, s.N))
            .ToList();
        var model = spec.Base.IsPretrained ? $"{spec.Base.World}-gpt2-{spec.Base.Model.NLayer}x{spec.Base.Model.NEmbd}" : spec.Base.ModelRef ?? spec.Base.Path!;
        // A registered model's name means the same files only within its tenant (the board groups by this hash).
        var hash = spec.Base.ModelRef is { } modelRef ? $"{experiment.TenantId}/{modelRef}" : SpecHash.ForBase(spec);
        return new ForgettingReport(spec.Name, DateTimeOffset.UtcNow, new BaseModelReport(model, hash, baseSuites), runs, frontier)
        {
            SeedGroups = SeedAggregation.Aggregate(runs),
        };
    }
}
