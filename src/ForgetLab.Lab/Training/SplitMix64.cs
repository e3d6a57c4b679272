namespace ForgetLab.Lab.Training;

/// <summary>
/// A tiny seeded RNG whose whole state is one <see cref="ulong"/>, so a checkpoint can store it and a
/// resumed run draws exactly the batches the uninterrupted run would have drawn (System.Random cannot).
/// </summary>
public sealed class SplitMix64(ulong state)
{
    public ulong State { get; set; } = state;

    public ulong NextUInt64()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
