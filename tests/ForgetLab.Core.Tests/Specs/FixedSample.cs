using CsCheck;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// Draws a fuzz test's inputs from a fixed PCG stream instead of CsCheck's fresh seed per run, so CI
/// tests the same inputs every time and a change cannot be refused for an input nobody has seen.
/// Set <c>FORGETLAB_FUZZ_SEED</c> to another number to explore further; a failure names the seed
/// and the input's index so it replays.
/// </summary>
public static class FixedSample
{
    private const ulong DefaultSeed = 20261201;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("FORGETLAB_FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    /// <summary>The first <paramref name="count"/> values of <paramref name="gen"/> from the seed.</summary>
    public static IEnumerable<T> Draw<T>(this Gen<T> gen, int count)
    {
        var pcg = new PCG(1, Seed);
        for (var i = 0; i < count; i++) yield return gen.Generate(pcg, null, out _);
    }

    /// <summary>Runs <paramref name="check"/> on each drawn input, naming the seed, index and input on failure.</summary>
    public static void Check<T>(this Gen<T> gen, int count, Action<T> check)
    {
        var i = 0;
        foreach (var input in gen.Draw(count))
        {
            try { check(input); }
            catch (Exception e) { throw Failure(i, input, e); }
            i++;
        }
    }

    /// <summary>The asynchronous <see cref="Check{T}"/>, running up to <paramref name="parallel"/> inputs at once.</summary>
    public static async Task CheckAsync<T>(this Gen<T> gen, int count, Func<T, Task> check, int parallel = 1)
    {
        var inputs = gen.Draw(count).Select((input, index) => (input, index)).ToList();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) =>
        {
            try { await check(item.input); }
            catch (Exception e) { throw Failure(item.index, item.input, e); }
        });
    }

    private static Exception Failure<T>(int index, T input, Exception inner) =>
        new Xunit.Sdk.XunitException($"FORGETLAB_FUZZ_SEED={Seed}, input #{index}: {Shorten(input?.ToString())}\n{inner.Message}");

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 500 ? text : text[..500] + "…";
}
