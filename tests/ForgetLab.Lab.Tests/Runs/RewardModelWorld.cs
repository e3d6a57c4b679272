using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The one fixture the reward-model tests (RewardModelWorldTests) and their measurement (RewardModelProbe) train on:
/// the tiny world's pre-trained base (<see cref="TinyWorldBase"/>), its tokenizer and its facts, so both judge the same
/// model and the probe's figures are the tests' figures.
/// </summary>
internal static class RewardModelWorld
{
    /// <summary>
    /// A spec on the shared base with <paramref name="rewards"/> (its <c>rewards:</c> items, indented as written here) and
    /// <paramref name="grid"/> (a top-level <c>grid:</c> section, or nothing): the one text both the base (only its
    /// <c>base</c> section decides the model) and the run test (a reward model and a grid) are read from.
    /// </summary>
    public static string Spec(string rewards = "      - { kind: correctness }", string grid = "") => $$"""
        name: reward-model
        seed: 3
        base:
        {{TinyWorldBase.Base}}
        target: { task: conflicting_facts, count: 8 }
        suites: [target, capitals_recall]
        train:
          steps: 2
          batch_size: 8
          lr: 1.0e-4
          warmup_steps: 0
          checkpoint_every: 2
          rl:
            algorithm: grpo
            num_generations: 4
            max_completion_length: 4
            measure_prompts: 4
            rewards:
        {{rewards}}
        {{grid}}
        eval: { max_items: 8 }
        """;

    /// <summary>The base (pre-trained once per cache), its tokenizer and the world's facts; <paramref name="cacheDirectory"/> overrides the tests' cache.</summary>
    public static (string Folder, ITokenizer Tokenizer, WorldFacts Facts) Base(string? cacheDirectory = null)
    {
        var options = TinyWorldBase.Options();
        if (cacheDirectory is not null) options = options with { CacheDirectory = cacheDirectory };
        var world = BuiltInWorld.Load(options.Corpus, options.WorldDataDirectory);
        var (folder, _, tokenizer) = new BaseModelCache(options.CacheDirectory).GetOrPretrain(SpecLoader.Parse(Spec(), "rm.yaml", null), world, options.WorldVariant);
        return (folder, tokenizer, world.Facts);
    }
}
