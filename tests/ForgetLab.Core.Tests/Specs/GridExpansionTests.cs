using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class GridExpansionTests
{
    private static LabSpec Spec(GridSpec grid) => new()
    {
        Name = "g",
        Seed = 7,
        Train = new TrainSpec { Steps = 100, Lr = 1e-4, BatchSize = 32, Schedule = LrSchedule.Linear, CheckpointEvery = 25 },
        Grid = grid,
    };

    [Fact]
    public void QuickstartExpandsToThreeFullRunsOnePerLearningRate()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"));

        var runs = GridExpansion.Expand(spec);

        Assert.Equal(
            ["full-lr3e-5-steps80-seed1", "full-lr1e-4-steps80-seed1", "full-lr3e-4-steps80-seed1"],
            runs.Select(r => r.Name));
        Assert.Equal(3, GridExpansion.Count(spec));
    }

    [Fact]
    public void AMethodWithItsOwnLrIsNotCrossedWithTheLrAxis()
    {
        var spec = Spec(new GridSpec
        {
            Methods = [MethodSpec.Full, MethodSpec.LoRA(lr: 2e-3), MethodSpec.LoRA(new LoraSpec { Rank = 16 })],
            Lr = [1e-4, 3e-4, 1e-3],
        });

        var runs = GridExpansion.Expand(spec);

        Assert.Equal([1e-4, 3e-4, 1e-3], runs.Where(r => r.Method is FullSpec).Select(r => r.Lr));
        Assert.Equal([2e-3], runs.Where(r => r.Method.Lr is not null).Select(r => r.Lr));
        Assert.Equal([1e-4, 3e-4, 1e-3], runs.Where(r => (r.Method as LoraSpec)?.Rank == 16).Select(r => r.Lr));
        Assert.Equal(7, runs.Count);
    }

    [Fact]
    public void EveryAxisMultipliesTheRunCountInMethodLrStepsSeedOrder()
    {
        var spec = Spec(new GridSpec
        {
            Methods = [MethodSpec.Full, MethodSpec.LoRA()],
            Lr = [1e-4, 1e-3],
            Steps = [50, 100, 200],
            Seeds = [1, 2],
        });

        var runs = GridExpansion.Expand(spec);

        Assert.Equal(24, runs.Count);
        Assert.Equal(24, GridExpansion.Count(spec));
        Assert.Equal(
            ["full-lr1e-4-steps50-seed1", "full-lr1e-4-steps50-seed2", "full-lr1e-4-steps100-seed1"],
            runs.Take(3).Select(r => r.Name));
        Assert.Equal("lora-r8-lr1e-3-steps200-seed2", runs[^1].Name);
    }

    [Fact]
    public void MissingAxesTakeTheTrainDefaultsAndTheSpecSeed()
    {
        var run = Assert.Single(GridExpansion.Expand(Spec(new GridSpec())));

        Assert.Equal("full-lr1e-4-steps100-seed7", run.Name);
        Assert.Equal(7, run.Seed);
    }

    [Fact]
    public void ARecipeKeepsTheRestOfTheTrainSettings()
    {
        var spec = Spec(new GridSpec { Lr = [5e-4], Steps = [40] });

        var run = Assert.Single(GridExpansion.Expand(spec));

        Assert.Equal(spec.Train with { Lr = 5e-4, Steps = 40 }, run.Train);
        Assert.Equal((5e-4, 40), (run.Lr, run.Steps));
        Assert.Equal(32, run.Train.BatchSize);
        Assert.Equal(LrSchedule.Linear, run.Train.Schedule);
    }

    [Fact]
    public void AMethodNameReplacesTheDerivedLabel()
    {
        var spec = Spec(new GridSpec { Methods = [MethodSpec.LoRA() with { Name = "lora-wide" }] });

        Assert.Equal("lora-wide-lr1e-4-steps100-seed7", Assert.Single(GridExpansion.Expand(spec)).Name);
    }

    [Fact]
    public void TwoMethodsGivingTheSameNamesAreRefused()
    {
        var spec = Spec(new GridSpec { Methods = [MethodSpec.LoRA(), MethodSpec.LoRA(new LoraSpec { Alpha = 32 })] });

        var e = Assert.Throws<InvalidOperationException>(() => GridExpansion.Expand(spec));

        Assert.Contains("lora-r8-lr1e-4-steps100-seed7", e.Message);
    }

    [Fact]
    public void ConsolidationAxesMultiplyTheRunsAndNameOnlyTheConsolidationsThatAreOn()
    {
        var spec = Spec(new GridSpec { Replay = [0, 0.25, 0.5], EwcLambda = [0, 100], Seeds = [1] });

        var runs = GridExpansion.Expand(spec);

        Assert.Equal(6, runs.Count);
        Assert.Equal(6, GridExpansion.Count(spec));
        Assert.Equal(
        [
            "full-lr1e-4-steps100-seed1", "full-lr1e-4-steps100-seed1-ewc1e2",
            "full-lr1e-4-steps100-seed1-replay0.25", "full-lr1e-4-steps100-seed1-replay0.25-ewc1e2",
            "full-lr1e-4-steps100-seed1-replay0.5", "full-lr1e-4-steps100-seed1-replay0.5-ewc1e2",
        ], runs.Select(r => r.Name));
        Assert.Null(runs[0].Train.Replay);
        Assert.Equal(0.5, runs[^1].Train.Replay!.Ratio);
        Assert.Equal(100, runs[^1].Train.Ewc!.Lambda);
    }

    [Fact]
    public void ConsolidationsSetOnlyInTrainApplyToEveryRunAndAppearInItsName()
    {
        var spec = Spec(new GridSpec()) with
        {
            Train = Spec(new GridSpec()).Train with
            {
                L2Sp = new L2SpSpec { Alpha = 0.01 }, Distill = new DistillSpec { Beta = 1, Temperature = 2 },
            },
        };

        var run = Assert.Single(GridExpansion.Expand(spec));

        Assert.Equal("full-lr1e-4-steps100-seed7-l2sp1e-2-distill1e0", run.Name);
        Assert.Equal(2, run.Train.Distill!.Temperature);
    }

    [Fact]
    public void AGridValueOverridesTheTrainStrengthAndKeepsItsOtherSettings()
    {
        var spec = Spec(new GridSpec { DistillBeta = [0.5, 2] }) with
        {
            Train = Spec(new GridSpec()).Train with { Distill = new DistillSpec { Beta = 1, Temperature = 3 } },
        };

        var runs = GridExpansion.Expand(spec);

        Assert.Equal([0.5, 2.0], runs.Select(r => r.Train.Distill!.Beta));
        Assert.All(runs, r => Assert.Equal(3, r.Train.Distill!.Temperature));
    }

    [Theory]
    [InlineData(1e-4, "1e-4")]
    [InlineData(3e-4, "3e-4")]
    [InlineData(2.5e-4, "2.5e-4")]
    [InlineData(0.01, "1e-2")]
    [InlineData(1.0, "1e0")]
    public void LearningRatesAreWrittenShortInRunNames(double lr, string expected) =>
        Assert.Equal(expected, GridExpansion.FormatNumber(lr));
}
