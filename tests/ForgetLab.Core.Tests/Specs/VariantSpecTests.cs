using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>Variants: one-at-a-time recipes crossed with the grid's remaining axes.</summary>
public class VariantSpecTests
{
    /// <summary>SpecText's valid spec, one method on the grid, plus three variants; one field per line.</summary>
    private static readonly string Valid =
        SpecText.Valid[..SpecText.Valid.IndexOf("grid:", StringComparison.Ordinal)] + """
        grid:
          method: [full]
          seed: [1, 2]
        variants:
          - name: naive
          - name: replay
            train:
              replay:
                ratio: 0.25
          - name: stop
            train:
              checkpoint_every: 5
              early_stopping:
                suite: capitals_recall
                max_drop_points: 10
          - name: lora
            method:
              type: lora
              rank: 4
              lr: 1.0e-3

        """;

    private static string With(string find, string replace)
    {
        var at = Valid.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && Valid.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur once");
        return string.Concat(Valid.AsSpan(0, at), replace, Valid.AsSpan(at + find.Length));
    }

    [Fact]
    public void EachVariantIsCrossedWithTheSeedsAndItsRunsCarryItsName()
    {
        var runs = GridExpansion.Expand(SpecText.Parse(Valid));

        Assert.Equal(
        [
            "naive-full-lr1e-4-steps20-seed1", "naive-full-lr1e-4-steps20-seed2",
            "replay-full-lr1e-4-steps20-seed1-replay0.25", "replay-full-lr1e-4-steps20-seed2-replay0.25",
            "stop-full-lr1e-4-steps20-seed1", "stop-full-lr1e-4-steps20-seed2",
            "lora-lora-r4-lr1e-3-steps20-seed1", "lora-lora-r4-lr1e-3-steps20-seed2",
        ], runs.Select(r => r.Name));
        Assert.Equal(8, GridExpansion.Count(SpecText.Parse(Valid)));
    }

    [Fact]
    public void AVariantChangesOnlyTheFieldsItNames()
    {
        var spec = SpecText.Parse(Valid);
        var byVariant = GridExpansion.Expand(spec).Where(r => r.Seed == 1).ToDictionary(r => r.Name.Split('-')[0]);

        Assert.Equal(spec.Train with { Steps = 20 }, byVariant["naive"].Train);
        Assert.Equal(spec.Train with { Replay = new ReplaySpec { Ratio = 0.25 } }, byVariant["replay"].Train);
        Assert.Equal(spec.Train with { CheckpointEvery = 5, EarlyStopping = new EarlyStoppingSpec { Suite = "capitals_recall", MaxDropPoints = 10 } },
            byVariant["stop"].Train);
        Assert.Equal("lora", byVariant["lora"].Method.Type);
        Assert.Equal(1e-3, byVariant["lora"].Lr);
        Assert.All(byVariant.Values.Where(r => r.Method is FullSpec), r => Assert.Equal("full", r.Method.Type));
    }

    [Fact]
    public void VariantsAreAveragedOverSeedsOneRecipeEach()
    {
        var recipes = GridExpansion.Expand(SpecText.Parse(Valid)).Select(r => ForgetLab.Core.Reports.SeedAggregation.RecipeOf(r.Name)).Distinct();

        Assert.Equal(4, recipes.Count());
    }

    [Fact]
    public void ASpecWithoutVariantsExpandsAsBefore()
    {
        var spec = SpecText.Parse(SpecText.Valid);

        Assert.Empty(spec.Variants);
        Assert.Equal("full-lr1e-4-steps20-seed1", GridExpansion.Expand(spec)[0].Name);
    }

    [Fact]
    public void VariantsDoNotEnterTheBaseHash() =>
        Assert.Equal(SpecHash.ForBase(SpecText.Parse(SpecText.Valid)), SpecHash.ForBase(SpecText.Parse(Valid)));

    [Fact]
    public void TheRunCapCountsEveryVariant()
    {
        var seeds = string.Join(", ", Enumerable.Range(0, 251));

        Assert.Equal(["spec.yaml:25 grid: expands to 1004 runs; at most 1000 are allowed"],
            SpecText.Errors(With("seed: [1, 2]", $"seed: [{seeds}]")));
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { "  - name: replay\n", "  - name: naive\n", "spec.yaml:30 variants[1].name: same name as variants[0] ('naive')" },
        { "  - name: naive\n", "  - name: Naive\n",
            "spec.yaml:29 variants[0].name: must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit" },
        { "  - name: naive\n", "  - train: { steps: 10 }\n", "spec.yaml:29 variants[0].name: required field is missing" },
        { "  - name: naive\n", "  - name: naive\n    grid: {}\n",
            "spec.yaml:30 variants[0].grid: unknown field 'grid' (expected one of: name, method, train)" },
        { "ratio: 0.25", "ratio: 0.99", "spec.yaml:33 variants[1].train.replay.ratio: must be between 0 and 0.95" },
        { "checkpoint_every: 5", "checkpoint_every: 0", "spec.yaml:36 variants[2].train.checkpoint_every: must be between 1 and 1000000" },
        { "suite: capitals_recall", "suite: element_symbols",
            "spec.yaml:38 variants[2].train.early_stopping.suite: 'element_symbols' is not one of the spec's suites (expected one of: target, capitals_recall)" },
        { "rank: 4", "rank: 0", "spec.yaml:43 variants[3].method.rank: must be between 1 and 1024" },
        { "checkpoint_every: 5", "warmup_steps: 30",
            "spec.yaml:36 variants[2].train.warmup_steps: must not exceed steps (20)" },
        { "  - name: naive\n", "  - naive\n", "spec.yaml:29 variants[0]: expected a mapping, got 'naive'" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void ABadVariantIsRejectedWithItsLinePathAndReason(string find, string replace, string expected) =>
        Assert.Equal([expected], SpecText.Errors(With(find, replace)));

    [Fact]
    public void AVariantsWarmUpMustFitEveryGridStepCount() =>
        Assert.Equal(["spec.yaml:36 variants[2].train.warmup_steps: must not exceed grid.steps value 10"],
            SpecText.Errors(With("checkpoint_every: 5", "warmup_steps: 15").Replace("  seed: [1, 2]\n", "  seed: [1, 2]\n  steps: [10, 20]\n")
                .Replace("  steps: 20\n", "  steps: 30\n")));
}
