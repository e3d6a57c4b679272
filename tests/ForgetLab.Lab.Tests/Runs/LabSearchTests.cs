using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tests.Jobs;
using ForgetLab.Server.Tests;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// <c>forgetlab lab run</c> honours <c>search:</c>: the grid of <see cref="TinySpecs.Halving"/> trains to the rung, where each run
/// pauses once its checkpoint is scored; the search compares them there, and the runs it keeps resume from the rung checkpoint.
/// </summary>
public class LabSearchTests
{
    [Fact]
    public void RunsWithinNoiseOfEachOtherPauseAtTheRungAndResumeToEndExactlyAsWithoutTheSearch()
    {
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = RecipeJobTests.SmallWorld(), Threads = 1 };
        var events = new List<Core.Jobs.JobEvent>();
        var searched = new LabRunner(options with { Progress = new InlineProgress<Core.Jobs.JobEvent>(events.Add) })
            .Run(SpecLoader.Parse(TinySpecs.Halving("lab-search"), "search.yaml", null), TinyModels.TempDirectory()).Report;
        var full = new LabRunner(options).Run(SpecLoader.Parse(TinySpecs.Halving("lab-search", search: false), "full.yaml", null), TinyModels.TempDirectory()).Report;

        // Each run trained twice: to the rung, then from its checkpoint there to the end.
        Assert.All(TinySpecs.HalvingRuns, name => Assert.Equal([0L, 4L],
            events.OfType<Core.Jobs.TrainingStarted>().Where(e => e.Run == name).Select(e => e.Step)));
        foreach (var name in TinySpecs.HalvingRuns)
        {
            var run = searched.Runs.Single(r => r.Name == name);
            var straight = full.Runs.Single(r => r.Name == name);
            Assert.Equal((RunStatus.Completed, (string?)null), (run.Status, run.Reason));
            Assert.Equal([4L, 8L, 12L], run.Checkpoints.Select(c => c.Step));
            Assert.Equal(straight.Checkpoints.Select(c => (c.Step, c.TrainLoss)), run.Checkpoints.Select(c => (c.Step, c.TrainLoss)));
            Assert.Equal(straight.Checkpoints.Select(c => c.Suites.Single().Score), run.Checkpoints.Select(c => c.Suites.Single().Score));
            Assert.Equal((straight.TargetGainPoints, straight.ForgettingPoints), (run.TargetGainPoints, run.ForgettingPoints));
        }
    }

    [Fact]
    public void ARunTheOtherDominatesOnTheRungsItemsEndsStoppedEarlyAndTheOtherCompletes()
    {
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = RecipeJobTests.SmallWorld(), Threads = 1 };
        var output = TinyModels.TempDirectory();
        var report = new LabRunner(options).Run(SpecLoader.Parse(TinySpecs.HalvingStop("lab-cut"), "cut.yaml", null), output).Report;

        var (learner, idle) = (report.Runs.Single(r => r.Name == TinySpecs.HalvingStopRuns[0]), report.Runs.Single(r => r.Name == TinySpecs.HalvingStopRuns[1]));
        Assert.Equal((RunStatus.StoppedEarly, $"dominated at step 125 by {learner.Name}"), (idle.Status, idle.Reason));
        Assert.Equal([125L], idle.Checkpoints.Select(c => c.Step));
        Assert.Equal(RunStatus.Completed, learner.Status);
        Assert.Equal([125L, 150L], learner.Checkpoints.Select(c => c.Step));

        // The search saw both rung checkpoints' items (the lab wrote items.jsonl beside them), so it compared the runs item by item.
        var points = report.Runs.Select(r => LabSearch.PointAt(r.Name, r.Checkpoints.Single(c => c.Step == 125),
            Path.Combine(output, "runs", r.Name, Core.Checkpoints.CheckpointFolder.FolderName(125)))).ToList();
        Assert.All(points, p => Assert.Equal(8, Assert.Single(p.Items!).ItemIds.Count));
        Assert.True(Core.Search.PairedRunDifference.Pairable(points[0], points[1]));
        Assert.True(Core.Search.HalvingSearch.DominatesOnItems(points[0], points[1]));
    }
}
