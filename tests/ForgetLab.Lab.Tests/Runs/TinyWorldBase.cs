using ForgetLab.Lab.Runs;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The small slice of the real world (60 countries, 10 elements) and one base cache for every test of this process
/// that pre-trains the tiny-world base: the base is keyed by its spec, so tests with the same base spec pre-train it
/// once between them instead of once each.
/// </summary>
internal static class TinyWorldBase
{
    private static readonly Lazy<string> Cache = new(TinyModels.TempDirectory);
    private static readonly Lazy<string> WorldData = new(() => SmallWorlds.Write(countries: 60, elements: 10, stride: 3));

    /// <summary>The base both tiny-world specs pre-train, as the lines under <c>base:</c> (a spec interpolates it).</summary>
    public const string Base = """
          world: builtin
          model: { n_layer: 2, n_head: 2, n_embd: 128, n_ctx: 64 }
          pretrain: { steps: 500, batch_size: 16, lr: 3.0e-3, warmup_steps: 30, weight_decay: 0.01 }
        """;

    public static LabRunnerOptions Options() => new()
    {
        CacheDirectory = Cache.Value,
        WorldDataDirectory = WorldData.Value,
        Corpus = new WorldCorpusOptions(ArithmeticLines: 100, CopyLines: 20),
    };
}
