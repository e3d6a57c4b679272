using ForgetLab.Core.Analysis;
using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Reports;

/// <summary>
/// How an experiment's <c>report.json</c> is put together from its runs' reports, written once for
/// the stand-alone lab (<c>forgetlab lab run</c>) and the platform (<c>GET …/report</c>, the
/// dashboard, the board), so both show the same frontier, seed groups and base-model name.
/// </summary>
public static class ReportAssembly
{
    /// <summary>
    /// The report of <paramref name="runs"/> (in the order given): the Pareto frontier over the runs
    /// that were evaluated at least once (a run with no checkpoint has no point to place), each run
    /// marked on or off it, and the recipes run with several seeds summarised across them.
    /// </summary>
    public static ForgettingReport Assemble(string specName, DateTimeOffset createdUtc, BaseModelReport baseModel, IReadOnlyList<RunReport> runs)
    {
        var points = runs.Where(r => r.Checkpoints.Count > 0).Select(r => (r.Name, r.TargetGainPoints, r.ForgettingPoints)).ToList();
        var frontier = points.Count == 0 ? [] : ParetoFront.Compute(points);
        var marked = runs.Select(r => r with { ParetoOptimal = frontier.Contains(r.Name) }).ToList();
        return new ForgettingReport(specName, createdUtc, baseModel, marked, frontier) { SeedGroups = SeedAggregation.Aggregate(marked) };
    }

    /// <summary>
    /// The report with the data bounds its runs' jobs recorded (<see cref="RunReport.Data"/>) gathered into
    /// <see cref="ForgettingReport.Data"/>, one entry per role, file and hash in the runs' order, as the lab's report lists
    /// them; the runs are left without them.
    /// </summary>
    public static ForgettingReport WithRunData(ForgettingReport report)
    {
        var data = report.Runs.SelectMany(r => r.Data ?? []).DistinctBy(d => (d.Role, d.File, d.Sha256)).ToList();
        return report with { Runs = [.. report.Runs.Select(r => r with { Data = null })], Data = data };
    }

    /// <summary>
    /// The base model's name in a report: "{world}-{architecture}-{layers}x{width}" for a base pre-trained on a
    /// built-in world, with "-{tokenizer}{vocab_size}" after it for a trained tokenizer (so the default base
    /// keeps "builtin-gpt2-4x256"), else the registered model's name or the folder it was loaded from.
    /// </summary>
    public static string BaseModelName(LabSpec spec) =>
        spec.Base.IsPretrained ? WorldBaseName(spec.Base) : spec.Base.ModelRef ?? spec.Base.Path!;

    private static string WorldBaseName(BaseModelSpec b) =>
        $"{b.World}-{SpecNames.Of(b.Architecture)}-{b.Model.NLayer}x{b.Model.NEmbd}"
        + (b.Tokenizer.IsWord ? "" : b.Tokenizer.File is not null ? "-file" : $"-{SpecNames.Of(b.Tokenizer.Kind)}{b.Tokenizer.VocabSize}");

    /// <summary>
    /// The base's hash as the platform reports it: the base spec's hash, or for a registered model
    /// "{tenant}/{name}" (and a base pre-trained on a registered data set "{tenant}/{hash}"), since a registered name means the same files only within its tenant (the
    /// board groups experiments by this hash).
    /// </summary>
    public static string PlatformBaseModelHash(LabSpec spec, string tenantId) =>
        spec.Base.ModelRef is { } modelRef ? $"{tenantId}/{modelRef}"
        // A base pre-trained on a registered data set: its name means those bytes only within the tenant.
        : spec.Base.Pretrain.Corpus?.Ref is not null ? $"{tenantId}/{SpecHash.ForBase(spec)}"
        : SpecHash.ForBase(spec);

    /// <summary>
    /// The base's score on each suite, as the runs were compared against it: from the first run that
    /// reports the suite (every run of an experiment is compared with the same baseline).
    /// </summary>
    public static IReadOnlyList<BaseSuiteScore> BaseSuitesOf(IEnumerable<RunReport> runs) =>
        [.. runs.SelectMany(r => r.Suites).GroupBy(s => s.Suite)
            .Select(g => g.First())
            .Select(s => new BaseSuiteScore(s.Suite, s.Version, s.Category, s.Metric, s.Base, s.N))];
}
