using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Fine-tuning batches: examples drawn with replacement, each row <c>[eos] ids</c> right-padded; position i
/// predicts id i, and only ids marked in the example's loss mask carry loss. The built-in tasks' pairs come as
/// <see cref="MaskedExample.OfCompletion"/>, the user's data with the mask its format gives (TRL's masks).
/// </summary>
public sealed class MaskedExampleBatches(IReadOnlyList<MaskedExample> examples, int separatorId, int padId, ulong seed) : IBatchSource
{
    private readonly SplitMix64 rng = new(seed);

    public ulong SamplerState { get => rng.State; set => rng.State = value; }

    public (Tensor Input, Tensor Target, int LossTokens) Next(int batchSize)
    {
        var rows = new List<(long[], long[])>(batchSize);
        for (var r = 0; r < batchSize; r++) rows.Add(Row(examples[rng.Next(examples.Count)], separatorId));
        return BatchRows.ToTensors(rows, padId);
    }

    internal static (long[] Input, long[] Target) Row(MaskedExample example, int separatorId)
    {
        var input = new long[example.Ids.Length];
        var target = new long[example.Ids.Length];
        input[0] = separatorId;
        for (var i = 0; i < example.Ids.Length; i++)
        {
            if (i + 1 < input.Length) input[i + 1] = example.Ids[i];
            target[i] = example.Loss[i] ? example.Ids[i] : BatchRows.IgnoreIndex;
        }
        return (input, target);
    }
}
