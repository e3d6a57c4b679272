using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Pre-training batches: documents (one line of text each, as token ids) drawn at random and packed,
/// separated by the end-of-text token, into rows of exactly context + 1 tokens; loss on every token.
/// </summary>
public sealed class PackedTextBatches(IReadOnlyList<int[]> documents, int contextLength, int separatorId, ulong seed) : IBatchSource
{
    private readonly SplitMix64 rng = new(seed);

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
                buffer.Add(separatorId);
                foreach (var t in documents[rng.Next(documents.Count)]) buffer.Add(t);
            }
            var row = buffer.Take(contextLength + 1).ToArray();
            rows.Add((row[..^1], row[1..]));
        }
        return BatchRows.ToTensors(rows, separatorId);
    }
}
