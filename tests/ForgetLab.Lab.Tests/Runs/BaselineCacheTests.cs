using ForgetLab.Core.Analysis;
using ForgetLab.Core.Baselines;
using ForgetLab.Lab.Baselines;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The base's baseline files under its folder are reused only by the build of the scoring code that wrote them: a file
/// another build scored (or one named the older way, <c>{suite}@{version}.json</c>) is scored again, never set beside
/// this build's checkpoints, and a damaged one is scored again rather than crashing the run.
/// </summary>
public sealed class BaselineCacheTests
{
    /// <summary>Answers every prompt with "lima" and counts how often it is asked.</summary>
    private sealed class CountingModel : ILanguageModel
    {
        public int Generations { get; private set; }

        public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests) => throw new NotSupportedException();

        public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts) => throw new NotSupportedException();

        public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens)
        {
            Generations++;
            return [.. prompts.Select(_ => "lima")];
        }

        public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts) => throw new NotSupportedException();
    }

    private static readonly SuiteDefinition Suite =
        SuiteDefinition.Create("capitals", 1, "knowledge", SuiteKinds.GenerateUntil, [SuiteItem.Generate("peru", "the capital of peru is", "lima")]);

    /// <summary>What the other build "scored": 0, where this build scores 1.</summary>
    private static readonly SuiteEvaluation OtherScore =
        new(new SuiteOutcomes("capitals", Suite.Version, SuiteCategory.Knowledge, OutcomeKind.Binary, "exact_match", true, 0, ["peru"], [0.0]), ["quito"]);

    private static Dictionary<string, SuiteEvaluation> Baseline(string baseFolder, CountingModel model) =>
        PreparedLab.Baseline(new SuiteEvaluator(), model, [Suite], baseFolder,
            new BaselineRequest("model", Shared: false, [PreparedLab.BaselineKey(Suite)], baseFolder), new LabRunnerOptions(), out _);

    [Fact]
    public void ABaselineFileWrittenByAnotherScoringBuildIsScoredAgainNotReused()
    {
        var baseFolder = TinyModels.TempDirectory();
        var cache = Directory.CreateDirectory(Path.Combine(baseFolder, "baselines")).FullName;
        BaselineFiles.Write(Path.Combine(cache, PreparedLab.BaselineKey(Suite, scoring: "0123456789abcdef0123456789abcdef").FileName), OtherScore);
        BaselineFiles.Write(Path.Combine(cache, $"{Suite.Name}@{Suite.Version}.json"), OtherScore);   // the name before the scoring build was in it
        var model = new CountingModel();

        var scored = Baseline(baseFolder, model);

        Assert.Equal([1.0], scored[Suite.Name].Outcomes.Values);
        Assert.Equal(1, model.Generations);
        // This build's own file is reused: the base is scored once per build.
        Assert.Equal([1.0], Baseline(baseFolder, model)[Suite.Name].Outcomes.Values);
        Assert.Equal(1, model.Generations);
    }

    [Fact]
    public void TheKeyThePlatformMatchesOnNamesTheScoringBuild()
    {
        var here = PreparedLab.BaselineKey(Suite);
        var other = PreparedLab.BaselineKey(Suite, scoring: "0123456789abcdef0123456789abcdef");

        Assert.Equal((here.Suite, here.Version), (other.Suite, other.Version));
        Assert.NotEqual(here.Definition, other.Definition);
        Assert.EndsWith($".{ScoringBuild.Id}", here.Definition, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedBaselineFileIsScoredAgainAndRewritten()
    {
        var baseFolder = TinyModels.TempDirectory();
        var cache = Directory.CreateDirectory(Path.Combine(baseFolder, "baselines")).FullName;
        var file = Path.Combine(cache, PreparedLab.BaselineKey(Suite).FileName);
        File.WriteAllText(file, "{ truncated");
        var model = new CountingModel();

        Assert.Equal([1.0], Baseline(baseFolder, model)[Suite.Name].Outcomes.Values);
        Assert.Equal([1.0], BaselineFiles.Read(file)!.Outcomes.Values);
    }
}
