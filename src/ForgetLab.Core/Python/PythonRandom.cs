namespace ForgetLab.Core.Python;

/// <summary>
/// CPython's <c>random.Random</c>, bit for bit, for the parts published tools depend on: seeding with an integer
/// (<c>init_by_array</c> over the integer's 32-bit words), MT19937's <c>genrand_uint32</c>, <c>getrandbits</c>,
/// <c>_randbelow</c> (rejection sampling on <c>getrandbits(n.bit_length())</c>) and <c>sample</c> (pool or set
/// selection, chosen by the same size rule). lm-evaluation-harness draws its few-shot examples with
/// <c>Random(1234).sample(docs, k)</c>, so the same prompts need the same generator (Modules/_randommodule.c and
/// Lib/random.py of CPython 3.11).
/// </summary>
public sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _mti = N + 1;

    /// <summary><c>random.Random(seed)</c> for an integer seed (its absolute value, as CPython takes it).</summary>
    public PythonRandom(long seed)
    {
        var n = seed < 0 ? (ulong)(-(seed + 1)) + 1 : (ulong)seed;
        var key = n >> 32 == 0 ? new[] { (uint)n } : [(uint)n, (uint)(n >> 32)];
        InitByArray(key);
    }

    private void InitGenrand(uint s)
    {
        _mt[0] = s;
        for (_mti = 1; _mti < N; _mti++)
            _mt[_mti] = (1812433253U * (_mt[_mti - 1] ^ (_mt[_mti - 1] >> 30))) + (uint)_mti;
    }

    private void InitByArray(uint[] key)
    {
        InitGenrand(19650218U);
        int i = 1, j = 0;
        for (var k = Math.Max(N, key.Length); k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1664525U)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N) { _mt[0] = _mt[N - 1]; i = 1; }
            if (j >= key.Length) j = 0;
        }
        for (var k = N - 1; k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1566083941U)) - (uint)i;
            i++;
            if (i >= N) { _mt[0] = _mt[N - 1]; i = 1; }
        }
        _mt[0] = 0x80000000U; // MSB is 1, assuring a non-zero initial array
    }

    /// <summary>MT19937's next 32-bit output (<c>genrand_uint32</c>).</summary>
    public uint NextUInt32()
    {
        uint y;
        if (_mti >= N)
        {
            int kk;
            for (kk = 0; kk < N - M; kk++)
            {
                y = (_mt[kk] & 0x80000000U) | (_mt[kk + 1] & 0x7fffffffU);
                _mt[kk] = _mt[kk + M] ^ (y >> 1) ^ ((y & 1) * 0x9908b0dfU);
            }
            for (; kk < N - 1; kk++)
            {
                y = (_mt[kk] & 0x80000000U) | (_mt[kk + 1] & 0x7fffffffU);
                _mt[kk] = _mt[kk + (M - N)] ^ (y >> 1) ^ ((y & 1) * 0x9908b0dfU);
            }
            y = (_mt[N - 1] & 0x80000000U) | (_mt[0] & 0x7fffffffU);
            _mt[N - 1] = _mt[M - 1] ^ (y >> 1) ^ ((y & 1) * 0x9908b0dfU);
            _mti = 0;
        }
        y = _mt[_mti++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>getrandbits(k)</c> for 0 ≤ k ≤ 64: 32-bit words, least significant first, the last one shifted.</summary>
    public ulong GetRandBits(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, 64);
        if (k == 0) return 0;
        if (k <= 32) return NextUInt32() >> (32 - k);
        ulong low = NextUInt32();
        ulong high = NextUInt32() >> (64 - k);
        return low | (high << 32);
    }

    /// <summary><c>_randbelow(n)</c>: uniform in [0, n), n &gt; 0.</summary>
    public long RandBelow(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var k = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)n); // n.bit_length()
        var r = GetRandBits(k);
        while (r >= (ulong)n) r = GetRandBits(k);
        return (long)r;
    }

    /// <summary><c>sample(population, k)</c>: k distinct positions' items, in selection order.</summary>
    public IReadOnlyList<T> Sample<T>(IReadOnlyList<T> population, int k)
    {
        var n = population.Count;
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"Sample larger than population ({n}) or is negative");
        var result = new T[k];
        var setsize = 21;
        if (k > 5) setsize += (int)Math.Pow(4, Math.Ceiling(Math.Log(k * 3) / Math.Log(4)));
        if (n <= setsize)
        {
            var pool = population.ToArray();
            for (var i = 0; i < k; i++)
            {
                var j = (int)RandBelow(n - i);
                result[i] = pool[j];
                pool[j] = pool[n - i - 1];
            }
        }
        else
        {
            var selected = new HashSet<long>();
            for (var i = 0; i < k; i++)
            {
                var j = RandBelow(n);
                while (selected.Contains(j)) j = RandBelow(n);
                selected.Add(j);
                result[i] = population[(int)j];
            }
        }
        return result;
    }
}
