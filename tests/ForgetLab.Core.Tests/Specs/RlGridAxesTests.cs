using ForgetLab.Core.Specs;
using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// <c>grid.rl_beta</c> and <c>grid.rl_ptx_coef</c>: sweeps over the KL coefficient and the pre-training mix of
/// reward fine-tuning, named as the consolidation axes are, crossed with the other axes, and refused where they
/// cannot apply.
/// </summary>
public class RlGridAxesTests
{
    private const string Rl = """
          rl:
            algorithm: grpo
            num_generations: 4
            rewards: [ { kind: format, pattern: '^\s*[a-z]+ [a-z]+\s*$' } ]
        """;

    private static string Spec(string grid, string rl = Rl, string variants = "") => $$"""
        name: t
        seed: 1
        base: { world: builtin }
        target: { task: conflicting_facts, count: 5 }
        suites: [target, capitals_recall]
        train:
          steps: 20
          batch_size: 8
          warmup_steps: 2
          checkpoint_every: 10
        {{rl}}
        grid:
        {{grid}}
        {{variants}}
        """;

    private static LabSpec Parse(string spec) => SpecLoader.Parse(spec, "spec.yaml", null);

    private static string Refusal(string spec) => Assert.Throws<SpecValidationException>(() => Parse(spec)).Message;

    [Fact]
    public void TheBetaAndPtxAxesCrossEachOtherAndTheSeedsWithReadableNames()
    {
        var spec = Parse(Spec("  rl_beta: [0, 0.01, 0.1]\n  rl_ptx_coef: [0, 1]\n  seed: [1, 2]"));
        var runs = GridExpansion.Expand(spec);

        Assert.Equal(12, runs.Count);
        Assert.Equal(12, GridExpansion.Count(spec));
        Assert.Equal(
            [
                "full-lr1e-4-steps20-seed1-grpo", "full-lr1e-4-steps20-seed2-grpo",
                "full-lr1e-4-steps20-seed1-grpo-ptx1e0", "full-lr1e-4-steps20-seed2-grpo-ptx1e0",
                "full-lr1e-4-steps20-seed1-grpo-b1e-2", "full-lr1e-4-steps20-seed2-grpo-b1e-2",
                "full-lr1e-4-steps20-seed1-grpo-b1e-2-ptx1e0", "full-lr1e-4-steps20-seed2-grpo-b1e-2-ptx1e0",
                "full-lr1e-4-steps20-seed1-grpo-b1e-1", "full-lr1e-4-steps20-seed2-grpo-b1e-1",
                "full-lr1e-4-steps20-seed1-grpo-b1e-1-ptx1e0", "full-lr1e-4-steps20-seed2-grpo-b1e-1-ptx1e0",
            ],
            runs.Select(r => r.Name));
        var strong = runs.Single(r => r.Name == "full-lr1e-4-steps20-seed2-grpo-b1e-1-ptx1e0").Train.Rl!;
        Assert.Equal((0.1, 1.0, PtxSpec.PretrainCorpus), (strong.Beta, strong.Ptx!.Coef, strong.Ptx.Corpus));
        Assert.True(strong.NeedsReference);
        var free = runs.Single(r => r.Name == "full-lr1e-4-steps20-seed1-grpo").Train.Rl!;
        Assert.Equal((0.0, (PtxSpec?)null), (free.Beta, free.Ptx));
        Assert.False(free.NeedsReference);
        // The rest of the record is the spec's, whatever the axes set.
        Assert.All(runs, r => Assert.Equal("format", r.Train.Rl!.Rewards.Single().Name));
        Assert.Contains(new KeyValuePair<string, string>("rl_ptx_coef", "1e0"), strong.Hyperparameters());
    }

    [Fact]
    public void APtxValueKeepsTheSpecsCorpusAndZeroTurnsTheSpecsMixOff()
    {
        var rl = Rl + "\n    ptx: { coef: 2 }";
        var runs = GridExpansion.Expand(Parse(Spec("  rl_ptx_coef: [0, 0.5]", rl)));
        Assert.Equal([null, 0.5], runs.Select(r => r.Train.Rl!.Ptx?.Coef));
        Assert.Equal(["full-lr1e-4-steps20-seed1-grpo", "full-lr1e-4-steps20-seed1-grpo-ptx5e-1"], runs.Select(r => r.Name));
    }

    [Fact]
    public void TheAxesApplyToEveryRewardVariant()
    {
        const string variants = """
            variants:
              - { name: lr-sane }
              - { name: lr-x10, train: { lr: 1.0e-3 } }
            """;
        var runs = GridExpansion.Expand(Parse(Spec("  rl_beta: [0, 0.05]", variants: variants)));
        Assert.Equal(
            ["lr-sane-full-lr1e-4-steps20-seed1-grpo", "lr-sane-full-lr1e-4-steps20-seed1-grpo-b5e-2",
             "lr-x10-full-lr1e-3-steps20-seed1-grpo", "lr-x10-full-lr1e-3-steps20-seed1-grpo-b5e-2"],
            runs.Select(r => r.Name));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "  rl_beta: [0.01]", "", "spec.yaml:13 grid.rl_beta: needs train.rl: the axis sets a reward fine-tuning option, and these runs are supervised" },
        { "  rl_ptx_coef: [1]", "", "grid.rl_ptx_coef: needs train.rl" },
        { "  rl_beta: [0.01, -1]", Rl, "grid.rl_beta[1]: must be at least 0 (0 loads no reference model)" },
        { "  rl_beta: [0.01, 0.01]", Rl, "grid.rl_beta[1]: same value as grid.rl_beta[0]" },
        { "  rl_ptx_coef: [-0.5]", Rl, "grid.rl_ptx_coef[0]: must be at least 0 (0 turns it off for the run)" },
        { "  rl_beta: [0.1, 0]", Rl + "\n    beta: 0.1\n    adaptive_kl: { target: 6 }", "grid.rl_beta[1]: 0 cannot be used with adaptive_kl" },
        { "  rl_beta: [0, 0.1]", Rl + "\n    beta: 0.1\n    sync_ref_model: true", "grid.rl_beta[0]: 0 cannot be used with sync_ref_model" },
        { "  rl_beta: [0, 0.1]", "  rl: { algorithm: dpo }", "grid.rl_beta[0]: dpo needs beta greater than 0" },
        { "  rl_betas: [0.1]", Rl, "grid.rl_betas: unknown field" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AnRlAxisThatCannotApplyIsRefusedNamingIt(string grid, string rl, string expected) =>
        Assert.Contains(expected, Refusal(Spec(grid, rl)));

    [Fact]
    public void AnRlAxisIsRefusedWhenAVariantIsSupervised()
    {
        const string variants = """
            variants:
              - name: rl
                train:
                  rl: { algorithm: grpo, num_generations: 4, rewards: [ { kind: correctness } ] }
              - { name: sft }
            """;
        var message = Refusal(Spec("  rl_beta: [0, 0.05]", rl: "", variants: variants));
        Assert.Contains("grid.rl_beta: needs train.rl in every variant: variants[1] ('sft') is supervised", message);
    }
}
