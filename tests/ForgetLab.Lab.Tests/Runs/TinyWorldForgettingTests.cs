using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The whole lab on a small slice of the real world (60 countries, a small model): pre-train until the
/// capitals are known, fine-tune on conflicting capitals, and check that the report finds what
/// fine-tuning taught and what it cost — the behaviour every ForgetLab user relies on.
/// </summary>
public class TinyWorldForgettingTests
{
    private const string Spec = $$"""
        name: tiny-world
        seed: 3
        base:
        {{TinyWorldBase.Base}}
        target: { task: conflicting_facts, count: 16 }
        suites: [target, overwritten, capitals_recall, capitals_mc]
        train: { steps: 40, batch_size: 16, warmup_steps: 4, checkpoint_every: 20 }
        grid:
          method: [ { type: full } ]
          lr: [1.0e-3]
        eval: { max_items: 0 }
        """;

    [Fact]
    public void FineTuningOnConflictingFactsLearnsTheTargetAndCausesAModerateOrWorseKnowledgeDrop()
    {
        var spec = SpecLoader.Parse(Spec, "tiny.yaml", null);
        var outDir = TinyModels.TempDirectory();
        var options = TinyWorldBase.Options();
        var result = new LabRunner(options).Run(spec, outDir);

        var recallAtBase = result.Report.Base.Suites.Single(s => s.Suite == "capitals_recall").Score;
        Assert.True(recallAtBase >= 90, $"the base must know its facts before forgetting is measured (recall {recallAtBase:F1}%)");

        var run = Assert.Single(result.Report.Runs);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([20L, 40L], run.Checkpoints.Select(c => c.Step));
        var target = run.Suites.Single(s => s.Suite == "target");
        Assert.True(target.DeltaPoints > 0 && target.PHolm < 0.05, $"the target must be learned significantly (Δ {target.DeltaPoints:F1}, p {target.PHolm:G3})");
        var recall = run.Suites.Single(s => s.Suite == "capitals_recall");
        Assert.True(recall.Severity >= Severity.Moderate, $"conflicting facts must cost untouched knowledge (Δ {recall.DeltaPoints:F1}, p {recall.PHolm:G3}, {recall.Severity})");
        Assert.True(recall.Ci95[1] < 0, "the CI of a significant drop lies below zero");
        Assert.NotEmpty(recall.Lost);
        Assert.True(run.Severity >= Severity.Moderate);

        // What a user opens next: the report files and the per-item answers behind every number.
        var json = ReportJson.Deserialize(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal(run.Name, json.Runs[0].Name);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        var items = ItemResultsFile.Read(Path.Combine(outDir, "runs", run.Name, "step-40"));
        var lost = items.First(i => i.Suite == "capitals_recall" && i.Id == recall.Lost[0]);
        Assert.Equal(0, lost.Value);
        Assert.NotNull(lost.Response);
        Assert.Contains("capital of", lost.Prompt); // what was asked, for the drill-down

        // A second run reuses the cached base: no pre-training, the same baseline.
        var again = new LabRunner(options).Run(spec, TinyModels.TempDirectory());
        Assert.Equal(result.BaseFolder, again.BaseFolder);
        Assert.Equal(result.Report.Base.Suites.Select(s => s.Score), again.Report.Base.Suites.Select(s => s.Score));
        Assert.Equal(run.Suites.Select(s => s.Score), again.Report.Runs[0].Suites.Select(s => s.Score)); // deterministic on CPU

        // Consolidation through the same runner: replay mixes pre-training rows in; early stopping on the
        // retention suite halts once the drop crosses 5 points and keeps the last checkpoint under it.
        var consolidated = SpecLoader.Parse(Spec.Replace(
            "train: { steps: 40, batch_size: 16, warmup_steps: 4, checkpoint_every: 20 }",
            "train: { steps: 40, batch_size: 16, warmup_steps: 4, checkpoint_every: 5, early_stopping: { suite: capitals_recall, max_drop_points: 5 } }\n" +
            ""), "tiny.yaml", null);
        var stopped = new LabRunner(options).Run(consolidated, TinyModels.TempDirectory()).Report.Runs.Single();
        Assert.Equal(RunStatus.StoppedEarly, stopped.Status);
        Assert.Contains("early stopping: capitals_recall", stopped.Reason);
        Assert.True(stopped.Checkpoints.Count < 8, "training must halt before its last step");
        var crossed = stopped.Checkpoints[^1].Suites.Single(s => s.Suite == "capitals_recall");
        Assert.True(crossed.DeltaPoints <= -5, "it stops at the first checkpoint whose drop crosses the threshold");
        var kept = stopped.Suites.SingleOrDefault(s => s.Suite == "capitals_recall");
        if (kept is not null) Assert.True(kept.DeltaPoints > -5, "the run's result is the last checkpoint under the threshold");
        Assert.Equal("capitals_recall drop<5", stopped.Hyperparameters["early_stopping"]);
    }
}
