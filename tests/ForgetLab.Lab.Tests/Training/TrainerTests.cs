using ForgetLab.Lab.Training;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Training;

public class TrainerTests
{
    private static TrainingOutcome Train(string? dir, int steps = 12, string? resume = null, double lr = 1e-2)
    {
        using var model = TinyModels.Create();
        var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 11);
        return new Trainer(model, model.parameters().ToList(), null, data, TinyModels.Settings(steps, lr)).Run(dir, resume);
    }

    [Fact]
    public void SameSeedGivesTheSameLosses()
    {
        var a = Train(null);
        var b = Train(null);
        Assert.Equal(a.Losses.Select(l => l.Loss), b.Losses.Select(l => l.Loss));
    }

    [Fact]
    public void TrainingLowersTheLoss()
    {
        var outcome = Train(null, steps: 30);
        Assert.True(outcome.Losses.TakeLast(5).Average(l => l.Loss) < outcome.Losses.Take(5).Average(l => l.Loss) - 0.5);
    }

    [Fact]
    public void ResumingFromACheckpointReproducesTheUninterruptedLossesExactly()
    {
        var full = Train(TinyModels.TempDirectory());
        var dir = TinyModels.TempDirectory();
        Train(dir, steps: 12);
        var resumed = Train(TinyModels.TempDirectory(), steps: 12, resume: Path.Combine(dir, "step-4"));
        Assert.Equal(full.Losses.Select(l => l.Loss), resumed.Losses.Select(l => l.Loss));
        Assert.Equal(12, resumed.Losses.Count);
    }

    [Fact]
    public void CheckpointsAreWrittenEveryNStepsAndAtTheEnd()
    {
        var dir = TinyModels.TempDirectory();
        var outcome = Train(dir, steps: 10);
        Assert.Equal([4, 8, 10], outcome.Checkpoints.Select(c => c.Step));
        Assert.All(outcome.Checkpoints, c => Assert.Null(TrainingCheckpoint.Verify(c.Directory)));
        Assert.Equal(Path.Combine(dir, "step-10"), TrainingCheckpoint.LatestIntact(dir));
    }

    [Fact]
    public void ACorruptedCheckpointIsRefusedAndTheNewestIntactOneIsUsed()
    {
        var dir = TinyModels.TempDirectory();
        Train(dir, steps: 10);
        var weights = Path.Combine(dir, "step-10", "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.Contains("SHA-256", TrainingCheckpoint.Verify(Path.Combine(dir, "step-10")));
        Assert.Equal(Path.Combine(dir, "step-8"), TrainingCheckpoint.LatestIntact(dir));
        Assert.Throws<InvalidDataException>(() => Train(TinyModels.TempDirectory(), resume: Path.Combine(dir, "step-10")));
    }

    [Fact]
    public void APartialCheckpointWithoutManifestIsNeverResumedFrom()
    {
        var dir = TinyModels.TempDirectory();
        Train(dir, steps: 8);
        File.Delete(Path.Combine(dir, "step-8", TrainingCheckpoint.ManifestFile));
        Assert.Equal(Path.Combine(dir, "step-4"), TrainingCheckpoint.LatestIntact(dir));
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunAsDivergedKeepingItsLastGoodCheckpoint()
    {
        var dir = TinyModels.TempDirectory();
        var outcome = Train(dir, steps: 40, lr: 1e6);
        Assert.Equal(TrainingStatus.Diverged, outcome.Status);
        Assert.Contains("loss was", outcome.Reason);
        Assert.All(outcome.Losses, l => Assert.True(double.IsFinite(l.Loss)));
        if (outcome.Checkpoints.Count > 0) Assert.Null(TrainingCheckpoint.Verify(outcome.Checkpoints[^1].Directory));
    }

    [Fact]
    public void WarmupThenCosineScheduleReachesPeakThenDecays()
    {
        var s = new LearningRateSchedule(1.0, WarmupSteps: 10, TotalSteps: 110);
        Assert.Equal(0.1, s.At(1), 12);
        Assert.Equal(1.0, s.At(10), 12);
        Assert.Equal(0.55, s.At(60), 12);   // halfway down from 1.0 to the 0.1 floor
        Assert.Equal(0.1, s.At(110), 12);
    }
}
