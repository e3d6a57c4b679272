using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Tests.Training;

public class MaskedExampleBatchesTests
{
    private const long Ignored = BatchRows.IgnoreIndex;

    [Fact]
    public void APromptCompletionPairPutsTheLossOnTheCompletionTokensOnly()
    {
        var (input, target) = MaskedExampleBatches.Row(MaskedExample.OfCompletion([5, 6], [7, 8]), separatorId: 0);

        // [eos] prompt completion, shifted: the position holding 6 predicts 7, the one holding 7 predicts 8.
        Assert.Equal([0L, 5, 6, 7], input);
        Assert.Equal([Ignored, Ignored, 7L, 8], target);
    }

    [Fact]
    public void AUsersMaskKeepsLossOnEveryMarkedTokenWhereverItIs()
    {
        // A two-turn conversation: only the assistant turns (ids 21 and 23, 24) carry loss.
        var example = new MaskedExample([20, 21, 22, 23, 24], [false, true, false, true, true]);

        var (input, target) = MaskedExampleBatches.Row(example, separatorId: 0);

        Assert.Equal([0L, 20, 21, 22, 23], input);
        Assert.Equal([Ignored, 21L, Ignored, 23, 24], target);
        Assert.Equal(3, example.LossTokens);
    }

    [Fact]
    public void TheSameSeedDrawsTheSameBatchesAndTheSamplerStateResumesThem()
    {
        var examples = Enumerable.Range(0, 7).Select(i => MaskedExample.OfCompletion([10 + i], [30 + i, 31])).ToList();
        var first = new MaskedExampleBatches(examples, 0, 1, seed: 4);
        var second = new MaskedExampleBatches(examples, 0, 1, seed: 4);
        first.Next(3);
        var state = first.SamplerState;
        var expected = first.Next(3).Input.data<long>().ToArray();

        second.SamplerState = state;

        Assert.Equal(expected, second.Next(3).Input.data<long>().ToArray());
    }
}
