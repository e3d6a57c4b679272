using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// Experience replay: every batch is round(ratio · B) pre-training rows (at most B − 1, so a
/// fine-tuning row is always there) after B minus that many fine-tuning rows, right-padded to one width.
/// Its state is the number of batches served; each batch re-seeds both sources from (seed, batch
/// index), so a resumed run draws exactly the batches the uninterrupted one would have.
/// </summary>
public sealed class ReplayBatches(IBatchSource fineTuning, IBatchSource pretraining, double ratio, ulong seed) : IBatchSource
{
    /// <summary>Batches served so far.</summary>
    public ulong SamplerState { get; set; }

    public double Ratio => ratio;

    /// <summary>Pre-training rows in a batch of <paramref name="batchSize"/>: round(ratio · B) (halves away from zero), capped at B − 1.</summary>
    public static int ReplayRows(int batchSize, double ratio)
    {
        var rows = (int)Math.Round(ratio * batchSize, MidpointRounding.AwayFromZero);
        return Math.Max(0, Math.Min(rows, batchSize - 1));
    }

    public (Tensor Input, Tensor Target, int LossTokens) Next(int batchSize)
    {
        var index = SamplerState++;
        var replay = ReplayRows(batchSize, ratio);
        fineTuning.SamplerState = Derive(seed, 2 * index);
        var (input, target, tokens) = fineTuning.Next(batchSize - replay);
        if (replay == 0) return (input, target, tokens);
        pretraining.SamplerState = Derive(seed, 2 * index + 1);
        var (replayInput, replayTarget, replayTokens) = pretraining.Next(replay);
        var width = Math.Max(input.shape[1], replayInput.shape[1]);
        // Padding sits on the right and its targets carry no loss, so causal attention never lets it matter.
        return (
            cat([PadTo(input, width, 0), PadTo(replayInput, width, 0)], 0),        // (B, T)
            cat([PadTo(target, width, BatchRows.IgnoreIndex), PadTo(replayTarget, width, BatchRows.IgnoreIndex)], 0),
            tokens + replayTokens);
    }

    private static Tensor PadTo(Tensor rows, long width, long value) =>
        rows.shape[1] == width ? rows : nn.functional.pad(rows, [0, width - rows.shape[1]], value: value);

    /// <summary>An independent sampler state for the n-th draw of a stream.</summary>
    internal static ulong Derive(ulong seed, ulong n) => new SplitMix64(seed ^ (n * 0xD1B54A32D192ED03UL)).NextUInt64();
}
