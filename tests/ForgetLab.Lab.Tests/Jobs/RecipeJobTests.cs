using ForgetLab.Core.Baselines;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Jobs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;
using ForgetLab.Server.Tests;

namespace ForgetLab.Lab.Tests.Jobs;

/// <summary>
/// One run of a grid as a worker runs it: events in the order the worker relays them, the run's report
/// beside its checkpoints, and a resumed job that ends exactly where an uninterrupted one does.
/// </summary>
public class RecipeJobTests
{
    internal static readonly string Spec = TinySpecs.Grid("tiny-job", steps: 6, every: 3);

    internal static string SmallWorld() => SmallWorlds.Write(countries: 24, elements: 6);

    [Fact]
    public void AJobTrainsOneRunEmitsItsEventsAndAResumedJobEndsWhereTheUninterruptedOneDoes()
    {
        var spec = SpecLoader.Parse(Spec, "tiny.yaml", null);
        var run = GridExpansion.Expand(spec).Single().Name;
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = SmallWorld(), Threads = 1 };
        var events = new List<JobEvent>();
        var outDir = TinyModels.TempDirectory();

        var report = new RecipeJob(options) { Events = events.Add }.Run(spec, run, outDir);

        Assert.Equal(RunStatus.Completed, report.Status);
        var kinds = events.Where(e => e is not (PreparationProgress or TrainingProgress)).Select(e => e.Name).ToList();
        Assert.Equal(
            ["started", "checkpoint_saved", "evaluation_started", "checkpoint_evaluated", "checkpoint_saved", "evaluation_started", "checkpoint_evaluated", "finished"],
            kinds);
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.OfType<TrainingProgress>().Select(e => e.Step));
        var saved = events.OfType<CheckpointSaved>().First();
        Assert.Equal(TrainingCheckpoint.Sha256(Path.Combine(saved.Folder, TrainingCheckpoint.ManifestFile)), saved.Sha256);
        Assert.Equal(3, events.OfType<CheckpointEvaluated>().First().Scores.Count);
        var finished = Assert.IsType<RunFinished>(events[^1]);
        Assert.Equal(RunStatus.Completed, finished.Status);
        var written = System.Text.Json.JsonSerializer.Deserialize<RunReport>(
            File.ReadAllText(Path.Combine(finished.Folder, RecipeJob.RunReportFile)), ReportJson.Options)!;
        Assert.Equal(report.Suites.Select(s => s.Score), written.Suites.Select(s => s.Score));

        // Where the time went, per checkpoint and for the run, in the report the worker uploads.
        Assert.All(written.Checkpoints, c => Assert.True(c.TrainingSeconds > 0 && c.EvaluationSeconds > 0, $"step {c.Step}: {c.TrainingSeconds} s training, {c.EvaluationSeconds} s evaluation"));
        Assert.Equal(written.Checkpoints.Sum(c => c.EvaluationSeconds!.Value), written.Time!.EvaluationSeconds, 9);
        Assert.Equal(written.Checkpoints.Sum(c => c.TrainingSeconds!.Value), written.Time.TrainingSeconds, 9);
        Assert.InRange(written.Time.EvaluationShare, 0, 1);

        // The worker downloads a checkpoint somewhere else and resumes from it in a fresh output folder.
        var copy = Path.Combine(TinyModels.TempDirectory(), "downloaded");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(saved.Folder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var resumedEvents = new List<JobEvent>();
        var resumed = new RecipeJob(options) { Events = resumedEvents.Add }.Run(spec, run, TinyModels.TempDirectory(), resumeFrom: copy);

        Assert.Equal(3, resumedEvents.OfType<TrainingStarted>().First().Step);
        Assert.Equal([4L, 5, 6], resumedEvents.OfType<TrainingProgress>().Select(e => e.Step));
        Assert.Equal(events.OfType<CheckpointSaved>().Last().Sha256, resumedEvents.OfType<CheckpointSaved>().Last().Sha256);
        Assert.Equal(report.Suites.Select(s => s.Score), resumed.Suites.Select(s => s.Score));
        Assert.Equal([6L], resumed.Checkpoints.Select(c => c.Step));

        // A job stopped between saving a checkpoint and scoring it: the next one scores it first, as the first job would have.
        var scoredFirst = new List<JobEvent>();
        var again = new RecipeJob(options) { Events = scoredFirst.Add }.Run(spec, run, TinyModels.TempDirectory(), resumeFrom: copy, evaluateResumed: true);

        Assert.Equal([3L, 6L], again.Checkpoints.Select(c => c.Step));
        Assert.Equal(report.Checkpoints.Select(c => c.Suites.Select(s => s.Score).ToList()), again.Checkpoints.Select(c => c.Suites.Select(s => s.Score).ToList()));
        Assert.Equal(report.Checkpoints[0].TrainLoss, again.Checkpoints[0].TrainLoss);
        Assert.Equal(events.OfType<CheckpointSaved>().Last().Sha256, scoredFirst.OfType<CheckpointSaved>().Last().Sha256);
        Assert.Equal(saved.Sha256, scoredFirst.OfType<CheckpointSaved>().First().Sha256);
    }

    [Fact]
    public void AResumedRunsReportKeepsEveryCheckpointItMade()
    {
        var spec = SpecLoader.Parse(Spec, "tiny.yaml", null);
        var run = GridExpansion.Expand(spec).Single().Name;
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = SmallWorld(), Threads = 1 };
        var events = new List<JobEvent>();
        var straight = new RecipeJob(options) { Events = events.Add }.Run(spec, run, TinyModels.TempDirectory());
        var first = events.OfType<CheckpointEvaluated>().First().Folder;
        Assert.True(File.Exists(Path.Combine(first, RecipeJob.CheckpointReportFile)), "an evaluated checkpoint has its report beside items.jsonl");

        // The worker lost after scoring step 3: the next job resumes from it, given step 3's report as the worker downloads it.
        var copy = Path.Combine(TinyModels.TempDirectory(), "step-3");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(first)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var earlier = TinyModels.TempDirectory();
        File.Copy(Path.Combine(first, RecipeJob.CheckpointReportFile), Path.Combine(earlier, "step-3.json"));
        var resumed = new RecipeJob(options).Run(spec, run, TinyModels.TempDirectory(), resumeFrom: copy, earlierReports: earlier);

        Assert.Equal([3L, 6L], resumed.Checkpoints.Select(c => c.Step));
        // Everything but the wall times, which are the jobs' own.
        static IEnumerable<CheckpointReport> Untimed(RunReport r) => r.Checkpoints.Select(c => c with { TrainingSeconds = null, EvaluationSeconds = null });
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(Untimed(straight), ReportJson.Options),
            System.Text.Json.JsonSerializer.Serialize(Untimed(resumed), ReportJson.Options));
        Assert.Equal(straight.Checkpoints[0].EvaluationSeconds, resumed.Checkpoints[0].EvaluationSeconds);   // carried over from step 3's report
        Assert.Equal(straight.Suites.Select(s => s.Score), resumed.Suites.Select(s => s.Score));
    }

    [Fact]
    public void AJobAsksForThePlatformsBaselineAndComparesAgainstItRatherThanEvaluatingTheBaseAgain()
    {
        var spec = SpecLoader.Parse(Spec, "tiny.yaml", null);
        var run = GridExpansion.Expand(spec).Single().Name;
        var world = SmallWorld();
        var firstEvents = new List<JobEvent>();
        var first = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = world, Threads = 1 };
        first = first with { Baselines = new JobBaselineExchange(firstEvents.Add, new StringReader("\n")) };
        new RecipeJob(first) { Events = firstEvents.Add }.Run(spec, run, TinyModels.TempDirectory());

        var lookup = Assert.Single(firstEvents.OfType<BaselineLookup>());
        var ready = firstEvents.OfType<BaselineReady>().ToList();
        Assert.True(lookup.Shared);
        Assert.Equal(["target", "capitals_recall", "text_perplexity"], lookup.Suites.Select(s => s.Suite));
        Assert.All(ready, e => Assert.Equal(BaselineSource.Evaluated, e.Source));

        // The platform's recorded baseline, made recognisable: the base "knew" every capital.
        var platform = TinyModels.TempDirectory();
        foreach (var e in ready)
        {
            var key = e.Suite;
            var evaluation = BaselineFiles.Read(e.File)!;
            if (key.Suite == "capitals_recall")
                evaluation = evaluation with { Outcomes = evaluation.Outcomes with { Values = [.. evaluation.Outcomes.Values.Select(_ => 1.0)] } };
            BaselineFiles.Write(Path.Combine(platform, key.FileName), evaluation);
        }
        var secondEvents = new List<JobEvent>();
        var second = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = world, Threads = 1 };
        second = second with { Baselines = new JobBaselineExchange(secondEvents.Add, new StringReader(platform + "\n")) };
        var report = new RecipeJob(second) { Events = secondEvents.Add }.Run(spec, run, TinyModels.TempDirectory());

        Assert.All(secondEvents.OfType<BaselineReady>(), e => Assert.Equal(BaselineSource.Platform, e.Source));
        Assert.Equal(lookup.ModelHash, secondEvents.OfType<BaselineLookup>().Single().ModelHash);
        Assert.Equal(100, report.Suites.Single(s => s.Suite == "capitals_recall").Base);
    }
}
