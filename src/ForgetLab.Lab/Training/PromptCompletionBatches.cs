using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>A fine-tuning example as token ids: the loss falls on the completion only.</summary>
public sealed record TokenizedExample(int[] Prompt, int[] Completion);

/// <summary>
/// Fine-tuning batches: examples drawn with replacement, each row <c>[eos] prompt completion</c>,
/// right-padded; the loss falls on the completion tokens only, so the model learns answers, not questions.
/// </summary>
public sealed class PromptCompletionBatches(IReadOnlyList<TokenizedExample> examples, int separatorId, int padId, ulong seed) : IBatchSource
{
    private readonly SplitMix64 rng = new(seed);

    public ulong SamplerState { get => rng.State; set => rng.State = value; }

    public (Tensor Input, Tensor Target, int LossTokens) Next(int batchSize)
    {
        var rows = new List<(long[], long[])>(batchSize);
        for (var r = 0; r < batchSize; r++) rows.Add(Row(examples[rng.Next(examples.Count)], separatorId));
        return BatchRows.ToTensors(rows, padId);
    }

    internal static (long[] Input, long[] Target) Row(TokenizedExample example, int separatorId)
    {
        var tokens = new long[1 + example.Prompt.Length + example.Completion.Length];
        tokens[0] = separatorId;
        for (var i = 0; i < example.Prompt.Length; i++) tokens[1 + i] = example.Prompt[i];
        for (var i = 0; i < example.Completion.Length; i++) tokens[1 + example.Prompt.Length + i] = example.Completion[i];
        var input = tokens[..^1];
        var target = new long[input.Length];
        var firstAnswer = example.Prompt.Length; // position whose next token is the first completion token
        for (var i = 0; i < target.Length; i++) target[i] = i >= firstAnswer ? tokens[i + 1] : BatchRows.IgnoreIndex;
        return (input, target);
    }
}
