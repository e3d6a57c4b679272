using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tests.Jobs;
using ForgetLab.Server.Tests;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// <c>forgetlab lab run</c> honours <c>search:</c> by the platform's rule: the grid of <see cref="TinySpecs.Halving"/> trains to
/// the rung, the runs dominated there stop early, and the runs it keeps resume from their rung checkpoint to the end.
/// </summary>
public class LabSearchTests
{
    [Fact]
    public void TheLabStopsTheRunsDominatedAtTheRungAndTheRunsItKeepsEndExactlyAsWithoutTheSearch()
    {
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = RecipeJobTests.SmallWorld(), Threads = 1 };
        var outDir = TinyModels.TempDirectory();
        var searched = new LabRunner(options).Run(SpecLoader.Parse(TinySpecs.Halving("lab-search"), "search.yaml", null), outDir).Report;
        var full = new LabRunner(options).Run(SpecLoader.Parse(TinySpecs.Halving("lab-search", search: false), "full.yaml", null), TinyModels.TempDirectory()).Report;

        var reason = $"dominated at step 4 by {TinySpecs.HalvingLearning[0]} (and 1 other: {TinySpecs.HalvingLearning[1]})";
        foreach (var name in TinySpecs.HalvingStill)
        {
            var run = searched.Runs.Single(r => r.Name == name);
            Assert.Equal((RunStatus.StoppedEarly, reason), (run.Status, run.Reason));
            Assert.Equal([4L], run.Checkpoints.Select(c => c.Step));
            Assert.Equal(RunStatus.Completed, full.Runs.Single(r => r.Name == name).Status);
        }

        // The kept runs paused at step 4 and resumed from that checkpoint: the same checkpoints, scores and losses as straight through.
        foreach (var name in TinySpecs.HalvingLearning)
        {
            var run = searched.Runs.Single(r => r.Name == name);
            var straight = full.Runs.Single(r => r.Name == name);
            Assert.Equal((RunStatus.Completed, (string?)null), (run.Status, run.Reason));
            Assert.Equal([4L, 8L, 12L], run.Checkpoints.Select(c => c.Step));
            Assert.Equal(straight.Checkpoints.Select(c => (c.Step, c.TrainLoss)), run.Checkpoints.Select(c => (c.Step, c.TrainLoss)));
            Assert.Equal(straight.Checkpoints.Select(c => c.Suites.Single().Score), run.Checkpoints.Select(c => c.Suites.Single().Score));
            Assert.Equal((straight.TargetGainPoints, straight.ForgettingPoints), (run.TargetGainPoints, run.ForgettingPoints));
        }

        // What a user reads: report.json says why each stopped run ended.
        var written = ReportJson.Deserialize(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.All(TinySpecs.HalvingStill, name => Assert.Equal(reason, written.Runs.Single(r => r.Name == name).Reason));
    }
}
