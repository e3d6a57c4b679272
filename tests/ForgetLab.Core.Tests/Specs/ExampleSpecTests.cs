using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class ExampleSpecTests
{
    [Fact]
    public void QuickstartLoadsWithEveryFieldAsWritten()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"));

        Assert.Equal("quickstart", spec.Name);
        Assert.Equal(1, spec.Seed);
        Assert.Equal("builtin", spec.Base.World);
        Assert.True(spec.Base.IsPretrained);
        Assert.Equal(new ModelConfigSpec { NLayer = 4, NHead = 4, NEmbd = 256, NCtx = 128, Dropout = 0 }, spec.Base.Model);
        Assert.Equal(600, spec.Base.Pretrain.Steps);
        Assert.Equal(3e-3, spec.Base.Pretrain.Lr);
        Assert.Equal(new TargetSpec { Task = TargetTask.ConflictingFacts, Count = 40 }, spec.Target);
        Assert.Equal(
            ["target", "overwritten", "capitals_recall", "capitals_mc", "continents_mc", "element_symbols", "arithmetic", "text_perplexity", "kl_to_base"],
            spec.Suites.Select(s => s.Name));
        Assert.All(spec.Suites, s => Assert.True(s.IsBuiltIn));
        Assert.Equal(80, spec.Train.Steps);
        Assert.Equal(LrSchedule.Cosine, spec.Train.Schedule);
        Assert.Equal(40, spec.Train.CheckpointEvery);
        Assert.Equal(["full"], spec.Grid.Methods.Select(m => m.Type));
        Assert.Equal([3e-5, 1e-4, 3e-4], spec.Grid.Lr!);
        Assert.Equal(new EvalSpec { MaxItems = 200, BatchSize = 64, BootstrapResamples = 10_000 }, spec.Eval);
    }

    [Fact]
    public void LoraVsFullComparesBothMethodsAtBothRatesAndSharesTheQuickstartBase()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example("lora-vs-full.yaml"));

        var runs = GridExpansion.Expand(spec);

        Assert.Equal(
            ["full-lr1e-4-steps100-seed1", "full-lr1e-3-steps100-seed1", "lora-r8-lr1e-4-steps100-seed1", "lora-r8-lr1e-3-steps100-seed1"],
            runs.Select(r => r.Name));
        Assert.Equal(SpecHash.ForBase(SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"))), SpecHash.ForBase(spec));
    }

    [Fact]
    public void TheConsolidationAblationRunsEachVariantWithThreeSeedsOnTheQuickstartBase()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example("consolidation-ablation.yaml"));

        var runs = GridExpansion.Expand(spec);

        Assert.Equal(["naive", "replay", "ewc", "l2sp", "distill", "early-stop"], spec.Variants.Select(v => v.Name));
        Assert.Equal(18, runs.Count);
        Assert.Equal(6, runs.Select(r => Core.Reports.SeedAggregation.RecipeOf(r.Name)).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(("full", 1e-4, 80), (r.Method.Type, r.Lr, r.Steps)));
        Assert.Single(runs.Select(r => r.Train).Where(t => t.Replay is null && t.Ewc is null && t.L2Sp is null && t.Distill is null && t.EarlyStopping is null).Distinct());
        Assert.Equal(SpecHash.ForBase(SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"))), SpecHash.ForBase(spec));
    }

    [Theory]
    [InlineData("scaling.yaml", 11)]
    [InlineData("consolidation-strength.yaml", 9)]
    public void TheScalingAndStrengthSweepsShareTheQuickstartBase(string example, int runs)
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example(example));

        Assert.Equal(runs, GridExpansion.Expand(spec).Count);
        Assert.Equal(SpecHash.ForBase(SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"))), SpecHash.ForBase(spec));
    }

    [Fact]
    public void TheEvaluationWalkthroughTrainsItsAdaptersOnTheQuickstartBaseAndEvaluatesThemOnIt()
    {
        string[] entries = ["lora-r4-attn", "lora-r8-all", "lora-r16-mlp", "lora-r8-all-merged"];
        var quickstart = SpecHash.ForBase(SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml")));
        var train = SpecLoader.LoadFile(RepoPaths.Example(Path.Combine("evaluate", "train-adapters.yaml")));
        // evaluate.yaml names the adapters the walkthrough copies out of that run: read here with empty folders in their place.
        var text = File.ReadAllText(RepoPaths.Example(Path.Combine("evaluate", "evaluate.yaml")));
        var dir = Directory.CreateTempSubdirectory("forgetlab-eval-example-").FullName;
        foreach (var name in entries) Directory.CreateDirectory(Path.Combine(dir, name));
        var evaluate = SpecLoader.Parse(text.Replace("../../out/evaluate/", dir + "/", StringComparison.Ordinal), "evaluate.yaml", null);
        Directory.Delete(dir, recursive: true);
        // platform.yaml is the same experiment with every entry a registered model of the same name.
        var platform = SpecLoader.ParseUnder(File.ReadAllText(RepoPaths.Example(Path.Combine("evaluate", "platform.yaml"))), "platform.yaml", SpecFiles.None);

        Assert.Equal(quickstart, SpecHash.ForBase(train));
        Assert.Equal(["lora-r4-lr1e-3-steps40-seed1", "lora-r8-lr1e-3-steps40-seed1", "lora-r16-lr1e-3-steps40-seed1"],
            GridExpansion.Expand(train).Select(r => r.Name));
        Assert.Equal(quickstart, SpecHash.ForBase(evaluate));
        Assert.Equal(entries, evaluate.Evaluate.Select(e => e.Name));
        Assert.Equal(entries, platform.Evaluate.Select(e => e.Name));
        Assert.Equal(entries, platform.Evaluate.Select(e => e.ModelRef));
        Assert.Equal(evaluate.Suites, platform.Suites);
        Assert.Equal((evaluate.Eval.MaxItems, evaluate.Eval.BatchSize, evaluate.Eval.BootstrapResamples),
            (platform.Eval.MaxItems, platform.Eval.BatchSize, platform.Eval.BootstrapResamples));
    }

    [Fact]
    public void ErrorsNameTheSpecFileAsTheUserTypedIt()
    {
        var dir = Directory.CreateTempSubdirectory("forgetlab-spec-").FullName;
        try
        {
            var file = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(file, SpecText.With("  count: 5", "  count: 0"));
            var typed = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);

            var e = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadFile(typed));

            Assert.Equal($"{typed}:17 target.count: must be between 1 and 100000", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
