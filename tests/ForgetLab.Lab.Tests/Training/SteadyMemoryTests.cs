using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Tests.Training;

/// <summary>
/// Nothing grows with steps: a training run holds as many live tensors late in the run as early on (the
/// resident-memory figure at steps 100 and 1,000 is in docs/benchmarks.md, "Memory"; it takes minutes).
/// </summary>
public class SteadyMemoryTests
{
    /// <summary>Live tensors on the training thread (TorchSharp's own count: created minus disposed), as each step reports.</summary>
    private static Dictionary<int, long> LiveTensorsByStep(ComputeDtype dtype, bool checkpointing, int steps)
    {
        using var model = TinyModels.Create();
        var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 11);
        var live = new Dictionary<int, long>();
        var settings = TinyModels.Settings(steps, checkpointEvery: 0) with { ComputeDtype = dtype, GradientCheckpointing = checkpointing };
        new Trainer(model, model.parameters().ToList(), null, data, settings)
        {
            Progress = new InlineProgress<TrainProgress>(p => live[p.Step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount),
        }.Run(null);
        return live;
    }

    [Theory]
    [InlineData(ComputeDtype.Float32, false)]
    [InlineData(ComputeDtype.BFloat16, true)]
    public void ALateStepHoldsNoMoreTensorsThanAnEarlyOne(ComputeDtype dtype, bool checkpointing)
    {
        var live = LiveTensorsByStep(dtype, checkpointing, steps: 10);
        // Step 1 creates AdamW's moments; from step 2 on every step must leave exactly what it found
        // (one tensor left behind per step is a leak of the kind that took RSS to 4.7 GB in 100 steps, STACK.md).
        Assert.Equal(live[2], live[10]);
        Assert.Equal(live[3], live[7]);
    }
}
