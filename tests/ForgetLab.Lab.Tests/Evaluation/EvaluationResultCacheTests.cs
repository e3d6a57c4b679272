using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Jobs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tests.Jobs;
using ForgetLab.Lab.Tests.Suites;

namespace ForgetLab.Lab.Tests.Evaluation;

/// <summary>Scoring the same weights on the same suite the same way again is free, and nothing else is ever reused.</summary>
public sealed class EvaluationResultCacheTests
{
    private static SuiteDefinition Suite(string answer = "lima") =>
        SuiteDefinition.Create("capitals", 1, "knowledge", SuiteKinds.GenerateUntil, [SuiteItem.Generate("peru", "the capital of peru is", answer)]);

    private static SuiteEvaluation Scored(double value) =>
        new(new SuiteOutcomes("capitals", "1", SuiteCategory.Knowledge, OutcomeKind.Binary, "exact_match", true, 0, ["peru"], [value]), ["lima"]);

    [Fact]
    public void TheSameModelSuiteAndSetupAreScoredOnceAndAnythingElseAgain()
    {
        var cache = new EvaluationResultCache(TinyModels.TempDirectory());
        var scored = 0;
        SuiteEvaluation Score() { scored++; return Scored(1); }

        var first = cache.GetOrEvaluate("model-a", Suite(), "setup", Score);
        var again = cache.GetOrEvaluate("model-a", Suite(), "setup", Score);
        Assert.Equal(1, scored);
        Assert.Equal(first.Outcomes.Values, again.Outcomes.Values);
        Assert.Equal(first.Responses, again.Responses);

        cache.GetOrEvaluate("model-b", Suite(), "setup", Score);             // other weights
        cache.GetOrEvaluate("model-a", Suite(), "batch=2", Score);           // scored another way
        var changed = Suite("lima city") with { Version = Suite().Version };   // the same name and version, other items
        cache.GetOrEvaluate("model-a", changed, "setup", Score);
        Assert.Equal(4, scored);
        Assert.Equal((1, 4), cache.Counts);
    }

    [Fact]
    public void ADamagedEntryIsScoredAgainAndRewritten()
    {
        var folder = TinyModels.TempDirectory();
        var cache = new EvaluationResultCache(folder);
        cache.GetOrEvaluate("m", Suite(), "s", () => Scored(1));
        var file = Directory.GetFiles(Path.Combine(folder, "m")).Single();
        File.WriteAllText(file, "{ truncated");

        var scored = cache.GetOrEvaluate("m", Suite(), "s", () => Scored(0));

        Assert.Equal([0.0], scored.Outcomes.Values);
        Assert.Equal([0.0], new EvaluationResultCache(folder).GetOrEvaluate("m", Suite(), "s", () => throw new InvalidOperationException("not again")).Outcomes.Values);
    }

    [Fact]
    public void AnLmEvalTaskWithItsFewShotDocsIsPartOfTheKey()
    {
        var task = SuiteReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml"));
        var cache = new EvaluationResultCache(TinyModels.TempDirectory());
        var scored = 0;
        SuiteEvaluation Score() { scored++; return Scored(1); }

        cache.GetOrEvaluate("m", task, "s", Score);
        cache.GetOrEvaluate("m", task, "s", Score);
        var otherDocs = task with { LmEval = task.LmEval! with { Docs = task.LmEval.Docs.Skip(1).ToList() } };
        cache.GetOrEvaluate("m", otherDocs, "s", Score);

        Assert.Equal(2, scored);
    }

    [Fact]
    public void ACheckpointsKeyIsItsWeightsOnItsBaseNotItsOptimizerOrTrainerState()
    {
        var folder = TinyModels.TempDirectory();
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "weights");
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.OptimizerFile), "adam moments");
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.TrainerStateFile), "{\"step\":3}");
        CheckpointFolder.WriteManifest(folder);
        var key = EvaluationResultCache.CheckpointKey(folder, "base-1");

        File.WriteAllText(Path.Combine(folder, CheckpointFolder.OptimizerFile), "other moments");
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.TrainerStateFile), "{\"step\":3,\"resumed\":true}");
        CheckpointFolder.WriteManifest(folder);
        Assert.Equal(key, EvaluationResultCache.CheckpointKey(folder, "base-1"));
        Assert.NotEqual(key, EvaluationResultCache.CheckpointKey(folder, "base-2"));

        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "other weights");
        CheckpointFolder.WriteManifest(folder);
        Assert.NotEqual(key, EvaluationResultCache.CheckpointKey(folder, "base-1"));
    }

    [Fact]
    public void RunningASeededRecipeAgainReadsEveryCheckpointsScoresFromTheCache()
    {
        var spec = SpecLoader.Parse(RecipeJobTests.Spec, "tiny.yaml", null);
        var run = GridExpansion.Expand(spec).Single().Name;
        var cacheDir = TinyModels.TempDirectory();
        var options = new LabRunnerOptions { CacheDirectory = cacheDir, WorldDataDirectory = RecipeJobTests.SmallWorld(), Threads = 1 };

        var first = new RecipeJob(options).Run(spec, run, TinyModels.TempDirectory());
        var results = Path.Combine(cacheDir, EvaluationResultCache.FolderName);
        var written = Directory.GetFiles(results, "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(first.Checkpoints.Count * first.Suites.Count, written.Count);

        var second = new RecipeJob(options).Run(spec, run, TinyModels.TempDirectory());

        // The same seed trains the same weights: every checkpoint's suites come from the files the first run wrote, untouched.
        Assert.Equal(written, Directory.GetFiles(results, "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        Assert.Equal(first.Checkpoints.SelectMany(c => c.Suites.Select(s => s.Score)), second.Checkpoints.SelectMany(c => c.Suites.Select(s => s.Score)));
    }
}
