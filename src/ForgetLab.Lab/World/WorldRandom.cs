namespace ForgetLab.Lab.World;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed forever, so a seed names the same corpus
/// on every machine and .NET version (System.Random promises no such thing).
/// </summary>
internal sealed class WorldRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>An independent stream per purpose, so adding one stream never shifts another.</summary>
    public static WorldRandom For(int seed, string purpose) => new(StableHash.Of($"{purpose}#{seed}"));

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

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
