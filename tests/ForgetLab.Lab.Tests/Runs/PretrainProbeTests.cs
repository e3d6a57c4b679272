using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// Probing a base while it is pre-trained (<c>forgetlab lab pretrain SPEC --probe-every N</c>): the probe suites are
/// scored at every due step and the last, the last probe is the base's baseline as the lab scores it, and probing
/// leaves the base exactly as an unprobed pre-training makes it.
/// </summary>
public class PretrainProbeTests
{
    private const string Spec = """
        name: tiny-probe
        seed: 2
        base:
          world: builtin
          architecture: llama
          model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }
          pretrain: { steps: 5, batch_size: 4, lr: 3.0e-3, warmup_steps: 1 }
        target: { task: conflicting_facts, count: 4 }
        suites: [target, capitals_recall, capitals_mc, kl_to_base]
        train: { steps: 1, batch_size: 4, warmup_steps: 0, checkpoint_every: 1 }
        grid: { method: [ { type: full } ] }
        eval: { max_items: 6, batch_size: 8, bootstrap_resamples: 100 }
        """;

    private static LabRunnerOptions Options(string worldData) => new()
    {
        CacheDirectory = TinyModels.TempDirectory(),
        WorldDataDirectory = worldData,
        Corpus = new WorldCorpusOptions(ArithmeticLines: 20, CopyLines: 10),
    };

    private static LabSpec ParsedSpec() => SpecLoader.Parse(Spec, "tiny.yaml", null);

    private static BuiltInWorld World(LabSpec spec, LabRunnerOptions options) =>
        BuiltInWorld.Load(options.Corpus! with { Seed = spec.Seed }, options.WorldDataDirectory);

    [Fact]
    public void AProbedPretrainingScoresTheKnowledgeSuitesAtEachDueStepEndsOnTheBaselineAndMakesTheSameBase()
    {
        var spec = ParsedSpec();
        var worldData = SmallWorlds.Write(countries: 12, elements: 6, stride: 4);
        var (probed, unprobed) = (Options(worldData), Options(worldData));
        var world = World(spec, probed);
        var probe = PretrainProbe.For(spec, world, every: 2, names: []);

        var (folder, summary, _) = new BaseModelCache(probed.CacheDirectory) { Probe = probe }.GetOrPretrain(spec, world, probed.WorldVariant);
        var (plainFolder, plainSummary, _) = new BaseModelCache(unprobed.CacheDirectory).GetOrPretrain(spec, World(spec, unprobed), unprobed.WorldVariant);

        // Steps 2 and 4 (every 2) and the last, 5; the knowledge suites only (not target, not kl_to_base).
        Assert.Equal(["capitals_recall", "capitals_mc"], probe.Suites.Select(s => s.Name));
        Assert.Equal([(2, "capitals_recall"), (2, "capitals_mc"), (4, "capitals_recall"), (4, "capitals_mc"), (5, "capitals_recall"), (5, "capitals_mc")],
            summary.Probes!.Select(p => (p.Step, p.Suite)));
        Assert.All(summary.Probes!, p => Assert.InRange(p.Score, 0, 100));
        Assert.Null(plainSummary.Probes);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plainFolder, "model.safetensors")), File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Equal(plainSummary.FinalLoss, summary.FinalLoss);

        // The lab's baseline of the cached base is what the last probe scored.
        var report = new LabRunner(probed).Run(spec, TinyModels.TempDirectory()).Report;
        foreach (var last in summary.Probes!.Where(p => p.Step == 5))
            Assert.Equal(report.Base.Suites.Single(s => s.Suite == last.Suite).Score, last.Score, 9);
    }

    [Theory]
    [InlineData(0, new string[0], "--probe-every 0: must be 1 to base.pretrain.steps (5)")]
    [InlineData(6, new string[0], "--probe-every 6: must be 1 to base.pretrain.steps (5)")]
    [InlineData(2, new[] { "element_symbols" }, "--probe-suite element_symbols: not a suite of the spec (it has: target, capitals_recall, capitals_mc, kl_to_base)")]
    [InlineData(2, new[] { "kl_to_base" }, "--probe-suite kl_to_base: compares a checkpoint with the base, which pre-training has not made yet")]
    public void AProbeThatDoesNotFitTheSpecIsRefusedNamingWhatIsWrong(int every, string[] names, string message)
    {
        var spec = ParsedSpec();
        var options = Options(SmallWorlds.Write(countries: 12, elements: 6, stride: 4));

        var refused = Assert.Throws<ArgumentException>(() => PretrainProbe.For(spec, World(spec, options), every, names));

        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void NamedProbeSuitesAreScoredInsteadOfTheDefaultOnes()
    {
        var spec = ParsedSpec();
        var options = Options(SmallWorlds.Write(countries: 12, elements: 6, stride: 4));

        var probe = PretrainProbe.For(spec, World(spec, options), every: 5, names: ["target"]);

        Assert.Equal(["target"], probe.Suites.Select(s => s.Name));
        Assert.Equal((true, false, true), (probe.IsDue(5, 5), probe.IsDue(4, 5), probe.IsDue(3, 3)));
    }
}
