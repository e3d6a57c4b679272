using ForgetLab.Core.Analysis;
using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class ConsolidationSpecTests
{
    /// <summary>A valid spec using every consolidation field and every new method kind; one field per line.</summary>
    private const string Valid = """
        name: c
        seed: 1
        base:
          world: builtin
          model: { n_layer: 2, n_head: 2, n_embd: 32, n_ctx: 32 }
        target:
          task: conflicting_facts
        suites: [target, capitals_recall]
        train:
          steps: 20
          warmup_steps: 2
          replay:
            ratio: 0.25
          ewc:
            lambda: 100
            fisher_batches: 5
          l2sp:
            alpha: 0.01
          distill:
            beta: 0.5
            temperature: 2
          early_stopping:
            suite: capitals_recall
            max_drop_points: 5
          optimizer_state: fresh
        grid:
          method:
            - full
            - type: lora
              use_rslora: true
              target_modules: attention
            - type: adapter
              bottleneck: 8
            - type: prefix
              num_virtual_tokens: 4
            - bitfit
            - type: freeze
              trainable_layers: [1]

        """;

    private static string With(string find, string replace)
    {
        var at = Valid.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && Valid.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur once");
        return string.Concat(Valid.AsSpan(0, at), replace, Valid.AsSpan(at + find.Length));
    }

    [Fact]
    public void EveryConsolidationFieldIsReadIntoTheTrainSettings()
    {
        var train = SpecText.Parse(Valid).Train;

        Assert.Equal(new ReplaySpec { Ratio = 0.25 }, train.Replay);
        Assert.Equal(new EwcSpec { Lambda = 100, FisherBatches = 5 }, train.Ewc);
        Assert.Equal(new L2SpSpec { Alpha = 0.01 }, train.L2Sp);
        Assert.Equal(new DistillSpec { Beta = 0.5, Temperature = 2 }, train.Distill);
        Assert.Equal(new EarlyStoppingSpec { Suite = "capitals_recall", MaxDropPoints = 5 }, train.EarlyStopping);
        Assert.Equal(OptimizerState.Fresh, train.OptimizerState);
    }

    [Fact]
    public void ConsolidationsAreOffWhenTheSpecDoesNotMentionThem()
    {
        var train = SpecText.Parse(SpecText.Valid).Train;

        Assert.Null(train.Replay);
        Assert.Null(train.Ewc);
        Assert.Null(train.L2Sp);
        Assert.Null(train.Distill);
        Assert.Null(train.EarlyStopping);
        Assert.Equal(OptimizerState.Fresh, train.OptimizerState);
    }

    [Fact]
    public void TheNewMethodKindsAreReadWithTheirSettingsAndLabels()
    {
        var methods = SpecText.Parse(Valid).Grid.Methods;

        Assert.Equal(["full", "lora", "adapter", "prefix", "bitfit", "freeze"],
            methods.Select(m => m.Type));
        Assert.True(((LoraSpec)methods[1]).UseRsLora);
        Assert.Equal(["c_attn", "attn.c_proj"], ((LoraSpec)methods[1]).TargetModules);
        Assert.Equal(8, ((AdapterSpec)methods[2]).Bottleneck);
        Assert.Equal(4, ((PrefixSpec)methods[3]).NumVirtualTokens);
        Assert.Equal([1], ((FreezeSpec)methods[5]).TrainableLayers);
        Assert.Equal(["full", "rslora-r8", "adapter-b8", "prefix-p4", "bitfit", "freeze-l1"], methods.Select(m => m.Label));
    }

    [Theory]
    [InlineData("mlp", new[] { "c_fc", "mlp.c_proj" })]
    [InlineData("all-linear", new[] { "all-linear" })]
    [InlineData("[c_attn]", new[] { "c_attn" })]
    public void TargetModulesTakeAPresetOrAList(string value, string[] expected) =>
        Assert.Equal(expected, ((LoraSpec)SpecText.Parse(With("target_modules: attention", $"target_modules: {value}")).Grid.Methods[1]).TargetModules);

    [Fact]
    public void ASeverityCanReplaceTheDropThreshold()
    {
        var stopping = SpecText.Parse(With("max_drop_points: 5", "max_severity: moderate")).Train.EarlyStopping!;

        Assert.Equal(Severity.Moderate, stopping.MaxSeverity);
        Assert.Null(stopping.MaxDropPoints);
    }

    [Fact]
    public void DefaultsFillTheOptionalSettings()
    {
        var spec = SpecText.Parse(With("    fisher_batches: 5\n", "").Replace("    temperature: 2\n", "").Replace("- type: adapter\n      bottleneck: 8", "- adapter"));

        Assert.Equal(20, spec.Train.Ewc!.FisherBatches);
        Assert.Equal(1, spec.Train.Distill!.Temperature);
        Assert.Equal(16, ((AdapterSpec)spec.Grid.Methods[2]).Bottleneck);
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { "ratio: 0.25", "ratio: 0.96", "spec.yaml:13 train.replay.ratio: must be between 0 and 0.95" },
        { "ratio: 0.25", "ratio: lots", "spec.yaml:13 train.replay.ratio: expected a number, got 'lots'" },
        { "    ratio: 0.25\n", "    ratio: 0.25\n    share: 1\n",
            "spec.yaml:14 train.replay.share: unknown field 'share' (expected one of: ratio, corpus)" },
        { "lambda: 100", "lambda: 0", "spec.yaml:15 train.ewc.lambda: must be greater than 0" },
        { "    lambda: 100\n", "", "spec.yaml:15 train.ewc.lambda: required field is missing" },
        { "fisher_batches: 5", "fisher_batches: 1001", "spec.yaml:16 train.ewc.fisher_batches: must be between 1 and 1000" },
        { "alpha: 0.01", "alpha: -1", "spec.yaml:18 train.l2sp.alpha: must be greater than 0" },
        { "beta: 0.5", "beta: 0", "spec.yaml:20 train.distill.beta: must be greater than 0" },
        { "temperature: 2", "temperature: 0", "spec.yaml:21 train.distill.temperature: must be greater than 0" },
        { "suite: capitals_recall", "suite: capitals_mc",
            "spec.yaml:23 train.early_stopping.suite: 'capitals_mc' is not one of the spec's suites (expected one of: target, capitals_recall)" },
        { "max_drop_points: 5", "max_drop_points: 0", "spec.yaml:24 train.early_stopping.max_drop_points: must be greater than 0" },
        { "    max_drop_points: 5\n", "",
            "spec.yaml:23 train.early_stopping.max_drop_points: required field is missing (or give max_severity)" },
        { "max_drop_points: 5", "max_drop_points: 5\n    max_severity: severe",
            "spec.yaml:25 train.early_stopping.max_severity: give either max_drop_points or max_severity, not both" },
        { "max_drop_points: 5", "max_severity: bad",
            "spec.yaml:24 train.early_stopping.max_severity: unknown value 'bad' (expected one of: mild, moderate, severe, at_chance, catastrophic)" },
        { "optimizer_state: fresh", "optimizer_state: warm",
            "spec.yaml:25 train.optimizer_state: unknown value 'warm' (expected one of: fresh, pretrain)" },
        { "use_rslora: true", "use_rslora: maybe", "spec.yaml:30 grid.method[1].use_rslora: expected true or false, got 'maybe'" },
        { "target_modules: attention", "target_modules: attn",
            "spec.yaml:31 grid.method[1].target_modules: unknown preset 'attn' (expected a list of module names or one of: attention, mlp, all-linear)" },
        { "bottleneck: 8", "bottleneck: 0", "spec.yaml:33 grid.method[2].bottleneck: must be between 1 and 4096" },
        { "bottleneck: 8", "rank: 8", "spec.yaml:33 grid.method[2].rank: applies only to type 'lora'" },
        { "num_virtual_tokens: 4", "num_virtual_tokens: 513", "spec.yaml:35 grid.method[3].num_virtual_tokens: must be between 1 and 512" },
        { "trainable_layers: [1]", "trainable_layers: [1, 1]", "spec.yaml:38 grid.method[5].trainable_layers[1]: same value as grid.method[5].trainable_layers[0]" },
        { "trainable_layers: [1]", "trainable_layers: [2]", "spec.yaml:37 grid.method[5].trainable_layers: layer 2 does not exist: the base has 2 layers (0-1)" },
        { "    - type: freeze\n      trainable_layers: [1]\n", "    - freeze\n",
            "spec.yaml:37 grid.method[5]: type 'freeze' needs trainable_layers: write { type: freeze, trainable_layers: [...] }" },
        { "    - bitfit\n", "    - { type: bitfit, bottleneck: 4 }\n", "spec.yaml:36 grid.method[4].bottleneck: applies only to type 'adapter'" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void ABadConsolidationOrMethodFieldIsRejectedWithItsLinePathAndReason(string find, string replace, string expected) =>
        Assert.Equal([expected], SpecText.Errors(With(find, replace)));

    [Fact]
    public void PretrainingMomentsAreRefusedForMethodsThatDoNotTrainEveryBaseWeight() =>
        Assert.Equal(
            ["spec.yaml:25 train.optimizer_state: 'pretrain' applies only to full fine-tuning (the moments belong to every base weight); grid.method[1] is lora"],
            SpecText.Errors(With("optimizer_state: fresh", "optimizer_state: pretrain")));

    [Fact]
    public void PretrainingMomentsAreAcceptedForFullFineTuning()
    {
        var pretrain = With("optimizer_state: fresh", "optimizer_state: pretrain");
        var yaml = pretrain[..pretrain.IndexOf("grid:", StringComparison.Ordinal)] + "grid:\n  method: [full]\n";

        Assert.Equal(OptimizerState.Pretrain, SpecText.Parse(yaml).Train.OptimizerState);
    }

    [Fact]
    public void AGridAxisSuppliesTheStrengthTheTrainRecordLeavesOut()
    {
        var spec = SpecText.Parse(With("    lambda: 100\n", "").Replace("grid:\n", "grid:\n  ewc_lambda: [0, 10]\n"));

        var runs = GridExpansion.Expand(spec);

        Assert.Equal([null, 10.0], runs.Where(r => r.Method is FullSpec).Select(r => r.Train.Ewc?.Lambda));
        Assert.All(runs.Where(r => r.Train.Ewc is not null), r => Assert.Equal(5, r.Train.Ewc!.FisherBatches));
    }

    [Fact]
    public void GridAxesRejectNegativeStrengthsAndRatiosAboveTheLimit()
    {
        var yaml = Valid.Replace("grid:\n", "grid:\n  replay: [0, 0.99]\n  l2sp_alpha: [-1]\n");

        Assert.Equal(
            ["spec.yaml:27 grid.replay[1]: must be between 0 and 0.95", "spec.yaml:28 grid.l2sp_alpha[0]: must be at least 0 (0 turns it off for the run)"],
            SpecText.Errors(yaml));
    }
}
