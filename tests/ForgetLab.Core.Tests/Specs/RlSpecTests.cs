using ForgetLab.Core.Specs;
using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// <c>train.rl</c>: TRL's option names and per-trainer defaults, refusals that name the field, and the rules that
/// tie it to the rest of the train record (whole groups per batch, replay versus the pre-training mix).
/// </summary>
public class RlSpecTests
{
    private static string Spec(string rl, string train = "steps: 20, batch_size: 8, warmup_steps: 2, checkpoint_every: 10") => $$"""
        name: t
        base: { world: builtin }
        target: { task: conflicting_facts, count: 5 }
        suites: [target, capitals_recall]
        train:
          {{train.Replace(", ", "\n  ").Replace(": ", ": ")}}
          rl:
        {{string.Join('\n', rl.Split('\n').Select(l => "    " + l))}}
        """;

    private static LabSpec Parse(string rl, string? train = null) =>
        SpecLoader.Parse(train is null ? Spec(rl) : Spec(rl, train), "spec.yaml", null);

    private static string Refusal(string rl, string? train = null) =>
        Assert.Throws<SpecValidationException>(() => Parse(rl, train)).Message;

    [Fact]
    public void EachAlgorithmTakesTrlsDefaults()
    {
        var grpo = Parse("algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: correctness } ]").Train.Rl!;
        Assert.Equal((0.0, KlEstimator.K3, KlPlacement.Loss, RlLossType.Dapo, ScaleRewards.Group), (grpo.Beta, grpo.KlEstimator, grpo.KlIn, grpo.LossType, grpo.ScaleRewards));
        Assert.Equal((1.0, 1.0, 0.2, 1, false, 0.6, 512), (grpo.Temperature, grpo.TopP, grpo.Epsilon, grpo.NumIterations, grpo.SyncRefModel, grpo.RefModelMixupAlpha, grpo.RefModelSyncSteps));
        Assert.False(grpo.NeedsReference);

        var rloo = Parse("algorithm: rloo\nnum_generations: 2\nrewards: [ { kind: correctness } ]").Train.Rl!;
        Assert.Equal((0.05, KlEstimator.K1, KlPlacement.Reward, false), (rloo.Beta, rloo.KlEstimator, rloo.KlIn, rloo.NormalizeAdvantages));

        var dpo = Parse("algorithm: dpo").Train.Rl!;
        Assert.Equal(0.1, dpo.Beta);
        Assert.True(dpo.NeedsReference);
    }

    [Fact]
    public void TheSeedsFailureModesAreAllSpecifiable()
    {
        var rl = Parse("""
            algorithm: grpo
            num_generations: 4
            beta: 0
            rewards:
              - { kind: format, name: starts_with_the, pattern: '^\s*the\b' }
              - { kind: keyword, keywords: [capital, city], weight: 0.5 }
            ptx: { coef: 1 }
            """).Train.Rl!;
        Assert.Equal(["starts_with_the", "keyword"], rl.Rewards.Select(r => r.Name));
        Assert.Equal(0.5, rl.Rewards[1].Weight);
        Assert.Equal(PtxSpec.PretrainCorpus, rl.Ptx!.Corpus);
        var adaptive = Parse("algorithm: rloo\nnum_generations: 2\nbeta: 0.01\nadaptive_kl: { target: 3 }\nsync_ref_model: true\nref_model_sync_steps: 5\nrewards: [ { kind: correctness } ]").Train.Rl!;
        Assert.Equal((3.0, 10000.0, 5), (adaptive.AdaptiveKl!.Target, adaptive.AdaptiveKl.Horizon, adaptive.RefModelSyncSteps));
        // TRL's older boolean form: false is "none".
        Assert.Equal(ScaleRewards.None, Parse("algorithm: grpo\nnum_generations: 4\nscale_rewards: false\nrewards: [ { kind: length, target_tokens: 3 } ]").Train.Rl!.ScaleRewards);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: correctness } ]\ntopp: 0.9", "train.rl.topp: unknown field 'topp', did you mean 'top_p'?" },
        { "algorithm: grpo\nnum_generations: 4\ntop_p: 1.5\nrewards: [ { kind: correctness } ]", "train.rl.top_p: must be greater than 0 and at most 1" },
        { "algorithm: grpo\nnum_generations: 3\nrewards: [ { kind: correctness } ]", "train.rl.num_generations: must divide train.batch_size (8)" },
        { "algorithm: grpo\nnum_generations: 4", "train.rl.rewards: required field is missing" },
        { "algorithm: ppo\nrewards: [ { kind: correctness } ]", "train.rl.algorithm: unknown value 'ppo'" },
        { "algorithm: grpo\nnum_generations: 4\nbeta: -1\nrewards: [ { kind: correctness } ]", "train.rl.beta: must be at least 0" },
        { "algorithm: grpo\nnum_generations: 4\nloss_type: bnpo\nrewards: [ { kind: correctness } ]", "train.rl.loss_type: unknown value 'bnpo'" },
        { "algorithm: dpo\ntemperature: 0.7", "train.rl.temperature: applies to the sampling algorithms (grpo, rloo, reinforce)" },
        { "algorithm: rloo\nnum_generations: 2\nloss_type: grpo\nrewards: [ { kind: correctness } ]", "train.rl.loss_type: applies to grpo and reinforce" },
        { "algorithm: grpo\nnum_generations: 4\nadaptive_kl: { target: 6 }\nrewards: [ { kind: correctness } ]", "train.rl.adaptive_kl: needs beta greater than 0" },
        { "algorithm: grpo\nnum_generations: 4\nref_model_sync_steps: 3\nrewards: [ { kind: correctness } ]", "train.rl.ref_model_sync_steps: applies only with sync_ref_model: true" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: format } ]", "train.rl.rewards[0].pattern: required field is missing" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: format, pattern: '(' } ]", "train.rl.rewards[0].pattern: is not a valid regular expression" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: correctness, keywords: [a] } ]", "train.rl.rewards[0].keywords: applies only to kind 'keyword'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: correctness }, { kind: correctness } ]", "train.rl.rewards[1].name: same name as rewards[0]" },
        { "algorithm: grpo\nnum_generations: 4\nptx: { coef: 1, corpus: wiki }\nrewards: [ { kind: correctness } ]", "train.rl.ptx.corpus: unknown value 'wiki'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model } ]", "train.rl.rewards[0].path: a reward_model takes exactly one of 'path'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, path: rm, train: {} } ]", "train.rl.rewards[0].train: a reward_model takes exactly one of 'path'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { labels: sycophant } } ]", "train.rl.rewards[0].train.labels: unknown value 'sycophant'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { pairs: hh_rlhf } } ]", "train.rl.rewards[0].train.pairs: unknown value 'hh_rlhf'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { held_out: 0 } } ]", "train.rl.rewards[0].train.held_out: must be greater than 0" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: correctness, train: { steps: 5 } } ]", "train.rl.rewards[0].train: applies only to kind 'reward_model'" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { trainable_layers: 1 } } ]", "train.rl.rewards[0].train.trainable_layers: expected a list of block indices" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { trainable_layers: [1, 1] } } ]", "train.rl.rewards[0].train.trainable_layers[1]: same value as" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { trainable_layers: [-1] } } ]", "train.rl.rewards[0].train.trainable_layers[0]: " },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { trainable_layers: [9] } } ]", "train.rl.rewards[0].train.trainable_layers: layer 9 does not exist: the base has 4 layers" },
        { "algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: { freeze_body: true } } ]", "train.rl.rewards[0].train.freeze_body: unknown field 'freeze_body'" },
        { "algorithm: grpo\nnum_generations: 4\nnum_iterations: 3\nrewards: [ { kind: correctness } ]", "train.rl.num_iterations: must divide train.checkpoint_every (10)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void ABadRlFieldIsRefusedNamingIt(string rl, string expected) => Assert.Contains(expected, Refusal(rl));

    [Fact]
    public void ARewardModelIsDeclaredByItsFolderOrByHowToTrainIt()
    {
        var rl = Parse("""
            algorithm: grpo
            num_generations: 4
            rewards:
              - { kind: reward_model, name: biased_rm, train: { labels: confident_wrong, steps: 50, center_rewards_coefficient: 0.01 } }
              - { kind: reward_model, name: trained_rm, path: models/rm, weight: 0.5 }
            """).Train.Rl!;
        var biased = rl.Rewards[0].Model!.Train!;
        Assert.Equal((PreferenceLabels.ConfidentWrong, 50, 16, 1e-4, 0.2, 0.01, "world"),
            (biased.Labels, biased.Steps, biased.BatchSize, biased.Lr, biased.HeldOut, biased.CenterRewardsCoefficient, biased.Pairs));
        Assert.Equal("models/rm", rl.Rewards[1].Model!.Path);
        Assert.Null(rl.Rewards[1].Model!.Train);
        Assert.Contains(new KeyValuePair<string, string>("rl_reward_models", "biased_rm:confident_wrong,trained_rm:path"), rl.Hyperparameters());
        // TRL's RewardConfig leaves centring off unless asked for.
        Assert.Null(Parse("algorithm: grpo\nnum_generations: 4\nrewards: [ { kind: reward_model, train: {} } ]").Train.Rl!.Rewards[0].Model!.Train!.CenterRewardsCoefficient);
    }

    [Fact]
    public void ARewardModelTrainsTheWholeModelUnlessTrainableLayersNamesTheBlocksBesideTheHead()
    {
        RewardModelTraining Train(string train) =>
            Parse($"algorithm: grpo\nnum_generations: 4\nrewards: [ {{ kind: reward_model, train: {train} }} ]").Train.Rl!.Rewards[0].Model!.Train!;
        Assert.Null(Train("{}").TrainableLayers);
        Assert.Equal([], Train("{ trainable_layers: [] }").TrainableLayers!);
        Assert.Equal([3, 1], Train("{ trainable_layers: [3, 1] }").TrainableLayers!);
    }

    [Fact]
    public void DpoWithBetaZeroIsRefusedNamingTrainRlBeta()
    {
        Assert.Contains("spec.yaml:", Refusal("algorithm: dpo\nbeta: 0"));
        Assert.Contains("train.rl.beta: must be greater than 0 for dpo", Refusal("algorithm: dpo\nbeta: 0"));
        Assert.Equal(0.01, Parse("algorithm: dpo\nbeta: 0.01").Train.Rl!.Beta);
        // β 0 stays allowed where it means "no KL term" rather than "no loss".
        Assert.Equal(0.0, Parse("algorithm: rloo\nnum_generations: 2\nbeta: 0\nrewards: [ { kind: correctness } ]").Train.Rl!.Beta);
    }

    [Fact]
    public void ReplayIsRefusedBesideRlWhichHasThePretrainingMix() =>
        Assert.Contains("train.replay: replay mixes pre-training rows into supervised batches; with train.rl use rl.ptx",
            Refusal("algorithm: dpo", "steps: 20, batch_size: 8, warmup_steps: 2, replay: { ratio: 0.25 }"));

    [Fact]
    public void TheRunNameAndHyperparametersSayItIsReward()
    {
        var spec = Parse("algorithm: rloo\nnum_generations: 2\nrewards: [ { kind: correctness, weight: 2 } ]");
        var run = Assert.Single(GridExpansion.Expand(spec));
        Assert.EndsWith("-rloo-b5e-2", run.Name);
        Assert.Contains(new KeyValuePair<string, string>("rl_rewards", "2e0*correctness"), run.Train.Rl!.Hyperparameters());
    }
}
