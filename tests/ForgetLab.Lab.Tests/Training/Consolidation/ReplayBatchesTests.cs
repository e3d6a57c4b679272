using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Training.Consolidation;

public class ReplayBatchesTests
{
    // Fine-tuning examples use tokens 35..39; the pre-training documents 2..31, so a row tells its source.
    private static readonly IReadOnlyList<MaskedExample> Examples =
        Enumerable.Range(0, 5).Select(i => MaskedExample.OfCompletion([35 + i, 36], [37, 38 + i % 2])).ToList();

    private static ReplayBatches Batches(double ratio, ulong seed = 11) => new(
        new MaskedExampleBatches(Examples, 0, 1, 1),
        new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 2),
        ratio, seed);

    private static bool IsFineTuningRow(Tensor row) => row.ge(35).any().item<bool>();

    [Theory]
    [InlineData(0.25, 8, 2)]
    [InlineData(0.25, 10, 3)]
    [InlineData(0.5, 16, 8)]
    [InlineData(0.95, 4, 3)]
    [InlineData(0.0, 8, 0)]
    public void EveryBatchHoldsRoundRatioTimesBatchSizePretrainingRows(double ratio, int batchSize, int expected)
    {
        var batches = Batches(ratio);
        Assert.Equal(expected, ReplayBatches.ReplayRows(batchSize, ratio));
        for (var n = 0; n < 5; n++)
        {
            var (input, target, tokens) = batches.Next(batchSize);
            Assert.Equal(batchSize, input.shape[0]);
            var replayRows = Enumerable.Range(0, batchSize).Count(r => !IsFineTuningRow(input[r]));
            Assert.Equal(expected, replayRows);
            Assert.Equal(target.ne(BatchRows.IgnoreIndex).sum().item<long>(), tokens);
        }
    }

    [Fact]
    public void PretrainingRowsCarryLossOnEveryTokenAndFineTuningRowsOnlyOnTheCompletion()
    {
        var (input, target, _) = Batches(0.5).Next(4);

        Assert.Equal(TinyModels.Config.NPositions, input.shape[1]);
        for (var r = 0; r < 4; r++)
        {
            var lossTokens = target[r].ne(BatchRows.IgnoreIndex).sum().item<long>();
            Assert.Equal(IsFineTuningRow(input[r]) ? 2 : TinyModels.Config.NPositions, lossTokens);
        }
    }

    [Fact]
    public void AResumedSourceDrawsTheBatchesTheUninterruptedOneWould()
    {
        var straight = Batches(0.25);
        straight.Next(8);
        straight.Next(8);
        var state = straight.SamplerState;
        var (expectedInput, expectedTarget, _) = straight.Next(8);

        var resumed = Batches(0.25);
        resumed.SamplerState = state;
        var (input, target, _) = resumed.Next(8);

        Assert.Equal(2UL, state);
        Assert.True(TensorAssert.Same(input, expectedInput));
        Assert.True(TensorAssert.Same(target, expectedTarget));
    }

    [Fact]
    public void TrainingOnReplayBatchesRunsAndResumesExactly()
    {
        var dir = TinyModels.TempDirectory();
        using var model = TinyModels.Create();
        var outcome = new Trainer(model, model.parameters().ToList(), null, Batches(0.5), TinyModels.Settings(steps: 8)).Run(dir);

        using var again = TinyModels.Create();
        var resumed = new Trainer(again, again.parameters().ToList(), null, Batches(0.5), TinyModels.Settings(steps: 8))
            .Run(dir + "-resumed", Path.Combine(dir, TrainingCheckpoint.FolderName(4)));

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.Equal(outcome.Losses[^1].Loss, resumed.Losses[^1].Loss);
    }
}
