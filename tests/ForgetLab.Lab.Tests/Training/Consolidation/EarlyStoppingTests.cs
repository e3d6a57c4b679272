using ForgetLab.Core.Analysis;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Reports;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;

namespace ForgetLab.Lab.Tests.Training.Consolidation;

public class EarlyStoppingTests
{
    [Fact]
    public void APlantedDropPastTheThresholdStopsAndKeepsTheLastCheckpointUnderIt()
    {
        var stopping = EarlyStopping.From(new EarlyStoppingSpec { Suite = "capitals_recall", MaxDropPoints = 5 });

        Assert.True(stopping.Observe(4, -1.0, Severity.None));
        Assert.True(stopping.Observe(8, -5.0, Severity.Mild));
        Assert.False(stopping.Observe(12, -9.5, Severity.Moderate));

        Assert.Equal(8, stopping.KeptStep);
        Assert.Equal(12, stopping.StoppedAt);
        Assert.False(stopping.Observe(16, 0, Severity.None));
        Assert.Equal(8, stopping.KeptStep);
    }

    [Fact]
    public void ASeverityThresholdToleratesBandsUpToItsOwn()
    {
        var stopping = new EarlyStopping("copying", maxDropPoints: null, maxSeverity: Severity.Moderate);

        Assert.True(stopping.Observe(1, -12, Severity.Moderate));
        Assert.False(stopping.Observe(2, -16, Severity.Severe));
        Assert.Equal(1, stopping.KeptStep);
    }

    [Fact]
    public void AFirstCheckpointAlreadyPastTheThresholdKeepsNone()
    {
        var stopping = new EarlyStopping("x", 2, null);

        Assert.False(stopping.Observe(10, -3, Severity.Mild));
        Assert.Null(stopping.KeptStep);
    }

    [Fact]
    public void TheTrainerStopsAtThePlantedDrop()
    {
        var planted = new Dictionary<int, double> { [4] = -1, [8] = -2, [12] = -20, [16] = -1 };
        var stopping = new EarlyStopping("capitals_recall", 5, null);
        using var model = TinyModels.Create();
        var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 5);
        var trainer = new Trainer(model, model.parameters().ToList(), null, data, TinyModels.Settings(steps: 16))
        {
            OnCheckpoint = saved => stopping.Observe(saved.Step, planted[saved.Step], Severity.None),
        };

        var outcome = trainer.Run(TinyModels.TempDirectory());

        Assert.Equal(TrainingStatus.StoppedEarly, outcome.Status);
        Assert.Equal([4, 8, 12], outcome.Checkpoints.Select(c => c.Step));
        Assert.Equal(8, stopping.KeptStep);
    }

    [Fact]
    public void AnAssessmentIsReadThroughTheWatchedSuitesResult()
    {
        var stopping = new EarlyStopping("capitals_recall", null, Severity.Mild);
        SuiteResult Result(string suite, double delta, Severity? severity) =>
            new(suite, "1", SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary, 80, 80 + delta, delta, null, [delta - 1, delta + 1], 0.01, 0.01, severity, null, 100, [], []);
        var fine = new CheckpointAssessment([Result("target", 30, null), Result("capitals_recall", -3, Severity.Mild)], Severity.Mild, 30, 3);
        var bad = new CheckpointAssessment([Result("capitals_recall", -20, Severity.Severe)], Severity.Severe, 0, 20);

        Assert.True(stopping.Observe(5, fine, "capitals_recall"));
        Assert.False(stopping.Observe(10, bad, "capitals_recall"));
        Assert.Equal(5, stopping.KeptStep);
    }
}
