using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// Reads <c>train.rl</c> the way <see cref="SpecReader"/> reads the rest of a spec: unknown fields and
/// out-of-range values are refused naming the field, options that do not apply to the algorithm are
/// refused saying which algorithm they belong to, and the whole record is checked in one pass.
/// </summary>
internal sealed class RlSpecReader(SpecErrorList errors)
{
    private static readonly string[] Fields =
    [
        "algorithm", "num_generations", "temperature", "top_p", "max_completion_length", "beta", "kl_estimator", "kl_in",
        "adaptive_kl", "epsilon", "epsilon_high", "num_iterations", "loss_type", "scale_rewards", "normalize_advantages",
        "sync_ref_model", "ref_model_mixup_alpha", "ref_model_sync_steps", "ptx", "rewards", "held_out_prompts", "measure_prompts",
    ];

    /// <summary>Options of on-policy sampling, refused for DPO (it learns from fixed pairs).</summary>
    private static readonly string[] SamplingFields =
    [
        "num_generations", "temperature", "top_p", "max_completion_length", "kl_estimator", "kl_in", "adaptive_kl",
        "epsilon", "epsilon_high", "num_iterations", "loss_type", "scale_rewards", "normalize_advantages", "rewards",
    ];

    private static readonly string[] RewardFields = ["kind", "name", "weight", "pattern", "keywords", "target_tokens", "path", "train"];
    private static readonly string[] RewardModelTrainFields = ["pairs", "labels", "steps", "batch_size", "lr", "held_out", "center_rewards_coefficient", "trainable_layers", "seed"];
    private static readonly NumberRange RmHeldOut = new(0, false, 0.9, true, "must be greater than 0 and at most 0.9 (the held-out pairwise accuracy is recorded)");
    private static readonly NumberRange LearningRate = new(0, false, 1, true, "must be greater than 0 and at most 1");
    private static readonly NumberRange NonNegative = new(0, true, double.MaxValue, true, "must be at least 0 (0 loads no reference model)");
    private static readonly NumberRange Temperature = new(0, false, 100, true, "must be greater than 0 and at most 100");
    private static readonly NumberRange TopP = new(0, false, 1, true, "must be greater than 0 and at most 1");
    private static readonly NumberRange Clip = new(0, false, 10, true, "must be greater than 0 and at most 10");
    private static readonly NumberRange Alpha = new(0, false, 1, true, "must be greater than 0 and at most 1");
    private static readonly NumberRange HeldOut = new(0, true, 0.9, true, "must be between 0 and 0.9");
    private static readonly NumberRange Weight = new(-1000, true, 1000, true, "must be between -1000 and 1000");

    /// <param name="batchSize">The run's <c>train.batch_size</c> (completions per step), which must hold whole groups.</param>
    /// <param name="checkpointEvery">The run's <c>train.checkpoint_every</c>, which must fall between sampled batches.</param>
    public RlSpec? Read(YamlFields r, int? batchSize, int? checkpointEvery)
    {
        var before = errors.Count;
        r.AllowOnly(Fields);
        var algorithm = r.Require("algorithm") ? r.Enum("algorithm", RlAlgorithm.Grpo, RlNames.Algorithms) : null;
        if (algorithm is not { } a) return null;
        var dpo = a == RlAlgorithm.Dpo;
        if (dpo)
            foreach (var field in SamplingFields.Where(r.Has))
                r.Error(field, "applies to the sampling algorithms (grpo, rloo, reinforce); dpo learns from fixed preference pairs");

        var d = new RlSpec();
        var generations = r.Int("num_generations", d.NumGenerations, a == RlAlgorithm.Reinforce ? 1 : 2, 64);
        var temperature = r.Double("temperature", d.Temperature, Temperature);
        var topP = r.Double("top_p", d.TopP, TopP);
        var maxLength = r.Int("max_completion_length", d.MaxCompletionLength, 1, 4096);
        var beta = r.Double("beta", a switch { RlAlgorithm.Grpo => 0.0, RlAlgorithm.Dpo => 0.1, _ => 0.05 }, NonNegative);
        var estimator = r.Enum("kl_estimator", a == RlAlgorithm.Grpo ? KlEstimator.K3 : KlEstimator.K1, RlNames.KlEstimators);
        var klIn = r.Enum("kl_in", a == RlAlgorithm.Grpo ? KlPlacement.Loss : KlPlacement.Reward, RlNames.KlPlacements);
        var adaptive = r.Mapping("adaptive_kl") is { } ak ? ReadAdaptive(ak) : null;
        var epsilon = r.Double("epsilon", d.Epsilon, Clip);
        var epsilonHigh = r.Has("epsilon_high") ? r.Double("epsilon_high", 0, Clip) : null;
        var iterations = r.Int("num_iterations", d.NumIterations, 1, 64);
        var lossType = r.Enum("loss_type", d.LossType, RlNames.LossTypes);
        var scale = ReadScaleRewards(r);
        var normalize = r.Bool("normalize_advantages", d.NormalizeAdvantages);
        var sync = r.Bool("sync_ref_model", d.SyncRefModel);
        var mixup = r.Double("ref_model_mixup_alpha", d.RefModelMixupAlpha, Alpha);
        var syncSteps = r.Int("ref_model_sync_steps", d.RefModelSyncSteps, 1, 1_000_000);
        var ptx = r.Mapping("ptx") is { } p ? ReadPtx(p) : null;
        var rewards = dpo ? [] : r.Require("rewards") ? ReadRewards(r) : null;
        var heldOut = r.Double("held_out_prompts", d.HeldOutPrompts, HeldOut);
        var measure = r.Int("measure_prompts", d.MeasurePrompts, 1, 10_000);

        if (r.Has("loss_type") && a == RlAlgorithm.Rloo)
            r.Error("loss_type", "applies to grpo and reinforce; TRL's RLOO loss is per sequence (the mean of its clipped sequence losses)");
        if (r.Has("scale_rewards") && a != RlAlgorithm.Grpo)
            r.Error("scale_rewards", "applies to grpo only (rloo has normalize_advantages)");
        if (r.Has("normalize_advantages") && a != RlAlgorithm.Rloo)
            r.Error("normalize_advantages", "applies to rloo only (grpo has scale_rewards)");
        // DPO's loss is −log σ(β·margin): at β 0 it is log 2 whatever the policy does and its gradient is 0, so the
        // run would train nothing while looking like it ran. TRL accepts it; ForgetLab refuses it.
        if (dpo && beta is 0)
            r.Error("beta", "must be greater than 0 for dpo: its loss −log σ(β·margin) is log 2 at beta 0 whatever the policy does, so nothing would be learned");
        if (adaptive is not null && beta is 0)
            r.Error("adaptive_kl", "needs beta greater than 0: the controller scales beta and cannot move it from 0");
        if (!sync.GetValueOrDefault() && (r.Has("ref_model_mixup_alpha") || r.Has("ref_model_sync_steps")))
            r.Error(r.Has("ref_model_mixup_alpha") ? "ref_model_mixup_alpha" : "ref_model_sync_steps", "applies only with sync_ref_model: true");
        if (sync is true && beta is 0 && !dpo)
            r.Error("sync_ref_model", "needs a reference model: with beta 0 none is loaded");
        if (generations is { } g && batchSize is { } b && !dpo && b % g != 0)
            r.Error("num_generations", $"must divide train.batch_size ({b}): a step holds whole groups of completions per prompt");

        if (iterations is > 1 and var mu && checkpointEvery is { } every && every % mu != 0)
            r.Error("num_iterations", $"must divide train.checkpoint_every ({every}): a checkpoint falls between sampled batches, never inside one's passes");
        if (errors.Count > before) return null;
        return new RlSpec
        {
            Algorithm = a, NumGenerations = generations!.Value, Temperature = temperature!.Value, TopP = topP!.Value,
            MaxCompletionLength = maxLength!.Value, Beta = beta!.Value, KlEstimator = estimator!.Value, KlIn = klIn!.Value,
            AdaptiveKl = adaptive, Epsilon = epsilon!.Value, EpsilonHigh = epsilonHigh, NumIterations = iterations!.Value,
            LossType = lossType!.Value, ScaleRewards = scale!.Value, NormalizeAdvantages = normalize!.Value,
            SyncRefModel = sync!.Value, RefModelMixupAlpha = mixup!.Value, RefModelSyncSteps = syncSteps!.Value,
            Ptx = ptx, Rewards = rewards!, HeldOutPrompts = heldOut!.Value, MeasurePrompts = measure!.Value,
        };
    }

    /// <summary>TRL takes <c>scale_rewards</c> as group|batch|none, and the older true (group) / false (none).</summary>
    private ScaleRewards? ReadScaleRewards(YamlFields r)
    {
        if (r.Value("scale_rewards") is YamlScalarNode { Value: "true" or "false" } flag)
            return flag.Value == "true" ? ScaleRewards.Group : ScaleRewards.None;
        return r.Enum("scale_rewards", ScaleRewards.Group, RlNames.ScaleRewardsValues);
    }

    private AdaptiveKlSpec? ReadAdaptive(YamlFields k)
    {
        var before = errors.Count;
        k.AllowOnly(["target", "horizon"]);
        var d = new AdaptiveKlSpec();
        var target = k.Double("target", d.Target, NumberRange.Positive);
        var horizon = k.Double("horizon", d.Horizon, new NumberRange(1, true, double.MaxValue, true, "must be at least 1"));
        return errors.Count > before ? null : new AdaptiveKlSpec { Target = target!.Value, Horizon = horizon!.Value };
    }

    private PtxSpec? ReadPtx(YamlFields p)
    {
        var before = errors.Count;
        p.AllowOnly(["coef", "corpus"]);
        var coef = p.Require("coef") ? p.Double("coef", 0, NumberRange.Positive) : null;
        var corpus = p.Has("corpus") ? p.String("corpus") : PtxSpec.PretrainCorpus;
        if (corpus is not null && corpus != PtxSpec.PretrainCorpus)
            p.Error("corpus", YamlValues.UnknownValue(corpus, [PtxSpec.PretrainCorpus]));
        return errors.Count > before ? null : new PtxSpec { Coef = coef!.Value, Corpus = corpus! };
    }

    /// <summary><c>path</c> (a trained reward model's folder) or <c>train</c> (how to train one), exactly one of them.</summary>
    private RewardModelSpec? ReadRewardModel(YamlFields c)
    {
        if (c.Has("path") == c.Has("train"))
        {
            c.Error(c.Has("path") ? "train" : "path", "a reward_model takes exactly one of 'path' (a trained reward model's folder) and 'train' (how to train one on preference pairs)");
            return null;
        }
        if (c.Has("path")) return c.String("path") is { Length: > 0 } path ? new RewardModelSpec { Path = path } : null;
        if (c.Mapping("train") is not { } t) return null;
        var before = errors.Count;
        t.AllowOnly(RewardModelTrainFields);
        var d = new RewardModelTraining();
        var pairs = t.Has("pairs") ? t.String("pairs") : d.Pairs;
        if (pairs is not null && pairs != RewardModelTraining.WorldPairs)
            t.Error("pairs", YamlValues.UnknownValue(pairs, [RewardModelTraining.WorldPairs]));
        var labels = t.Enum("labels", d.Labels, RlNames.PreferenceLabelValues);
        var steps = t.Int("steps", d.Steps, 1, 100_000);
        var batch = t.Int("batch_size", d.BatchSize, 1, 4096);
        var lr = t.Double("lr", d.Lr, LearningRate);
        var heldOut = t.Double("held_out", d.HeldOut, RmHeldOut);
        var center = t.Has("center_rewards_coefficient") ? t.Double("center_rewards_coefficient", 0, NumberRange.Positive) : null;
        var layers = ReadTrainableLayers(t);
        var seed = t.Int("seed", d.Seed, 0, int.MaxValue);
        if (errors.Count > before) return null;
        return new RewardModelSpec
        {
            Train = new RewardModelTraining
            {
                Pairs = pairs!, Labels = labels!.Value, Steps = steps!.Value, BatchSize = batch!.Value, Lr = lr!.Value,
                HeldOut = heldOut!.Value, CenterRewardsCoefficient = center, TrainableLayers = layers, Seed = seed!.Value,
            },
        };
    }

    /// <summary>
    /// <c>trainable_layers</c>: block indices as the <c>freeze</c> method takes them, except that an empty list is allowed
    /// (the head alone); absent is the whole model. Indices past the base's depth are refused once the base is known.
    /// </summary>
    private List<int>? ReadTrainableLayers(YamlFields t)
    {
        if (t.Value("trainable_layers") is not { } node) return null;
        if (node is not YamlSequenceNode list)
        {
            t.Error("trainable_layers", $"expected a list of block indices ([] trains the score head alone), got {YamlValues.Describe(node)}");
            return null;
        }
        var layers = new List<int>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{t.PathOf("trainable_layers")}[{i}]";
            if (YamlValues.Int(list.Children[i], path, errors, 0, 63) is not { } layer) continue;
            if (layers.IndexOf(layer) is var first and >= 0)
                errors.Add(list.Children[i], path, $"same value as {t.PathOf("trainable_layers")}[{first}]");
            layers.Add(layer);
        }
        return layers;
    }

    private List<RewardSpec>? ReadRewards(YamlFields r)
    {
        if (r.List("rewards") is not { } nodes) return null;
        var before = errors.Count;
        var rewards = new List<RewardSpec>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (YamlFields.Open(nodes[i], $"{r.PathOf("rewards")}[{i}]", errors) is not { } c) continue;
            var cBefore = errors.Count;
            c.AllowOnly(RewardFields);
            var kind = c.Require("kind") ? c.Enum("kind", RewardKind.Correctness, RlNames.RewardKinds) : null;
            if (kind is not { } k) continue;
            var name = c.Has("name") ? c.String("name") : RlNames.Of(k);
            var weight = c.Double("weight", 1, Weight);
            string? pattern = null;
            IReadOnlyList<string> keywords = [];
            var target = 8;
            RewardModelSpec? model = null;
            foreach (var (field, owner) in new[] { ("pattern", RewardKind.Format), ("keywords", RewardKind.Keyword), ("target_tokens", RewardKind.Length), ("path", RewardKind.RewardModel), ("train", RewardKind.RewardModel) })
                if (c.Has(field) && k != owner) c.Error(field, $"applies only to kind '{RlNames.Of(owner)}'");
            if (k == RewardKind.RewardModel) model = ReadRewardModel(c);
            if (k == RewardKind.Format && c.Require("pattern") && c.String("pattern") is { } text)
            {
                try
                {
                    _ = new Regex(text, RegexOptions.None, TimeSpan.FromMilliseconds(100));
                    pattern = text;
                }
                catch (ArgumentException e)
                {
                    c.Error("pattern", $"is not a valid regular expression: {e.Message}");
                }
            }
            if (k == RewardKind.Keyword && c.Require("keywords") && c.List("keywords") is { } words)
                keywords = words.Select((w, j) => YamlValues.String(w, $"{c.PathOf("keywords")}[{j}]", errors)).OfType<string>().ToList();
            if (k == RewardKind.Length) target = c.Int("target_tokens", 8, 1, 4096) ?? 8;
            if (name is not null && !names.TryAdd(name, i))
                c.Error("name", $"same name as rewards[{names[name]}] ('{name}'); give one of them a distinct 'name'");
            if (errors.Count > cBefore || name is null || weight is null) continue;
            rewards.Add(new RewardSpec { Kind = k, Name = name, Weight = weight.Value, Pattern = pattern, Keywords = keywords, TargetTokens = target, Model = model });
        }

        return errors.Count > before ? null : rewards;
    }
}
