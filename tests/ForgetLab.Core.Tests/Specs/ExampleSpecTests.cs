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
        Assert.Equal(1500, spec.Base.Pretrain.Steps);
        Assert.Equal(1e-3, spec.Base.Pretrain.Lr);
        Assert.Equal(new TargetSpec { Task = TargetTask.ConflictingFacts, Count = 40 }, spec.Target);
        Assert.Equal(
            ["target", "overwritten", "capitals_recall", "capitals_mc", "continents_mc", "element_symbols", "arithmetic", "text_perplexity", "kl_to_base"],
            spec.Suites.Select(s => s.Name));
        Assert.All(spec.Suites, s => Assert.True(s.IsBuiltIn));
        Assert.Equal(100, spec.Train.Steps);
        Assert.Equal(LrSchedule.Cosine, spec.Train.Schedule);
        Assert.Equal(50, spec.Train.CheckpointEvery);
        Assert.Equal([MethodType.Full, MethodType.Lora], spec.Grid.Methods.Select(m => m.Type));
        var lora = spec.Grid.Methods[1];
        Assert.Equal(1e-3, lora.Lr);
        Assert.Equal(8, lora.Lora!.Rank);
        Assert.Equal(16, lora.Lora.Alpha);
        Assert.Equal(["c_attn", "c_proj", "c_fc"], lora.Lora.TargetModules);
        Assert.Equal([1e-4, 3e-4], spec.Grid.Lr!);
        Assert.Equal(new EvalSpec { MaxItems = 200, BatchSize = 64, BootstrapResamples = 10_000 }, spec.Eval);
    }

    [Fact]
    public void LoraVsFullLoadsAndExpandsToThirtySixUniquelyNamedRuns()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example("lora-vs-full.yaml"));

        var runs = GridExpansion.Expand(spec);

        // full and lora-r8 cross 2 lrs; the two LoRA entries with their own lr do not: (2 + 2 + 1 + 1) × 3 steps × 2 seeds.
        Assert.Equal(36, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.Name).Distinct().Count());
        Assert.Contains(runs, r => r.Name == "lora-r8-own-lr1e-3-steps200-seed2");
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
