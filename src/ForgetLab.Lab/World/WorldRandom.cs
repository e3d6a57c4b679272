using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.World;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed forever, so a seed names the same corpus
/// on every machine and .NET version (System.Random promises no such thing).
/// </summary>
internal sealed class WorldRandom(ulong seed)
{
    // The training sampler's generator: one SplitMix64 implementation for the whole engine.
    private readonly SplitMix64 _generator = new(seed);

    /// <summary>An independent stream per purpose, so adding one stream never shifts another.</summary>
    public static WorldRandom For(int seed, string purpose) => new(StableHash.Of($"{purpose}#{seed}"));

    public ulong NextUInt64() => _generator.NextUInt64();

    public int Next(int maxExclusive) => _generator.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public List<T> Shuffled<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        Shuffle(list);
        return list;
    }
}
