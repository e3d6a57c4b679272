using System.Globalization;

namespace ForgetLab.Lab.Model.Weights;

/// <summary>
/// How transformers' <c>save_pretrained</c> splits a state dict into safetensors shards (huggingface_hub's
/// <c>split_state_dict_into_shards_factory</c>): tensors in state-dict order; one larger than the limit gets a shard
/// of its own; otherwise a tensor that would take the current shard past the limit starts a new one. One shard is
/// <c>model.safetensors</c> with no index; n shards are <c>model-00001-of-0000n.safetensors</c> … and
/// <c>model.safetensors.index.json</c>.
/// </summary>
public static class ShardPlan
{
    /// <summary>transformers' default <c>max_shard_size</c>, "5GB".</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    private static readonly (string Unit, long Bytes)[] Units = [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)];

    /// <summary>The tensor names of each shard, in order.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Split(IEnumerable<(string Name, long Bytes)> tensors, long maxShardBytes)
    {
        var shards = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long currentBytes = 0;
        foreach (var (name, bytes) in tensors)
        {
            if (bytes > maxShardBytes)
            {
                shards.Add([name]);
                continue;
            }
            if (currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                (current, currentBytes) = ([], 0);
            }
            current.Add(name);
            currentBytes += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }

    /// <summary>The file name of shard <paramref name="index"/> (0-based) of <paramref name="count"/>: transformers' <c>model-00001-of-00003.safetensors</c>.</summary>
    public static string FileName(int index, int count) =>
        count == 1 ? ModelWeights.SingleFile : string.Create(CultureInfo.InvariantCulture, $"model-{index + 1:D5}-of-{count:D5}.safetensors");

    /// <summary>
    /// A <c>max_shard_size</c> as huggingface_hub's <c>parse_size_to_int</c> reads it: a number of bytes, or a number with
    /// one of the decimal units TB, GB, MB, KB (case-insensitive, "5GB", "0.5 MB"); null with the reason otherwise.
    /// </summary>
    public static (long? Bytes, string? Error) Parse(string text)
    {
        var trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
            return plain > 0 ? (plain, null) : (null, "must be greater than 0");
        var unit = trimmed.Length >= 2 ? trimmed[^2..].ToUpperInvariant() : "";
        if (Units.FirstOrDefault(u => u.Unit == unit) is not { Unit: not null } found)
            return (null, $"'{text}' has no supported unit (a number of bytes, or a number with TB, GB, MB or KB)");
        if (!double.TryParse(trimmed[..^2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            return (null, $"'{text}': the size before {found.Unit} is not a number");
        var bytes = (long)(value * found.Bytes);
        return bytes > 0 ? (bytes, null) : (null, "must be greater than 0");
    }
}
