using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Pre-training batches: documents (one line of text each, as token ids) drawn at random and packed, each inside its
/// <see cref="DocumentFraming"/> (EOS before it for the word-level tokenizer; BOS before and EOS after for Llama's
/// SentencePiece), into rows of exactly context + 1 tokens that start at a document's start; loss on every token.
/// </summary>
public sealed class PackedTextBatches(IReadOnlyList<int[]> documents, int contextLength, DocumentFraming framing, ulong seed) : IBatchSource
{
    private readonly SplitMix64 rng = new(seed);

    /// <summary>Documents separated by <paramref name="separatorId"/>, written before each (the word-level rule).</summary>
    public PackedTextBatches(IReadOnlyList<int[]> documents, int contextLength, int separatorId, ulong seed)
        : this(documents, contextLength, DocumentFraming.SeparatorFirst(separatorId), seed)
    {
    }

    public ulong SamplerState { get => rng.State; set => rng.State = value; }

    public (Tensor Input, Tensor Target, int LossTokens) Next(int batchSize)
    {
        var rows = new List<(long[], long[])>(batchSize);
        var buffer = new List<long>(contextLength + 64);
        for (var r = 0; r < batchSize; r++)
        {
            buffer.Clear();
            while (buffer.Count < contextLength + 1)
            {
                foreach (var t in framing.Before) buffer.Add(t);
                foreach (var t in documents[rng.Next(documents.Count)]) buffer.Add(t);
                foreach (var t in framing.After) buffer.Add(t);
            }
            var row = buffer.Take(contextLength + 1).ToArray();
            rows.Add((row[..^1], row[1..]));
        }
        return BatchRows.ToTensors(rows, framing.After.Count > 0 ? framing.After[^1] : framing.Before[0]);   // rows are full: no padding
    }
}
