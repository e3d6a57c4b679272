using System.Text.Json.Serialization;
using ForgetLab.Lab.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// (IA)³ (Liu et al. 2022), as PEFT's <c>IA3</c>: each projection named by <see cref="TargetModules"/>
/// gets a learned vector <c>ia3_l</c>, initialised to ones, registered under it. A feed-forward module
/// (its path ends with one of <see cref="FeedforwardModules"/>, PEFT's rule) scales its input,
/// <c>ia3_l</c> (1, in); any other scales its output, <c>ia3_l</c> (out, 1). On GPT-2's fused
/// <c>c_attn</c> the output vector covers q, k and v alike, as PEFT's GPT-2 default does; name unfused
/// k/v projections to scale only those. Only the vectors train. Checkpoints use PEFT's layout
/// (<c>base_model.model.transformer.h.0.attn.c_attn.ia3_l</c>, <c>peft_type: IA3</c>).
/// </summary>
public sealed record Ia3Settings(IReadOnlyList<string> TargetModules, IReadOnlyList<string> FeedforwardModules) : PeftSettings
{
    public override string Method => "ia3";

    public override bool Owns(string key) => key.EndsWith(".ia3_l", StringComparison.Ordinal);

    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        var targets = ModuleTargets.Select(model, TargetModules);
        FreezeAll(model);
        return targets.Select(t => Scaling.Attach(t.Layer, FeedforwardModules.Any(f => t.Path.EndsWith(f, StringComparison.Ordinal)))).ToList();
    }

    public override void Save(CausalLanguageModel model, string directory, string baseModelName) =>
        PeftAdapterFiles.Write(model, Owns, directory,
            new PeftIa3Config(baseModelName, ModuleTargets.Saved(model, TargetModules), FeedforwardModules) { FanInFanOut = model.FanInFanOut });

    public override void LoadWeights(CausalLanguageModel model, string directory) => PeftAdapterFiles.LoadWeights(model, directory);

    /// <summary>The settings an adapter folder in PEFT's IA3 layout was saved with.</summary>
    public static Ia3Settings Read(string directory)
    {
        var config = PeftAdapterFiles.ReadConfig<PeftIa3Config>(directory, c => c.PeftType, "IA3");
        return new Ia3Settings(config.TargetModules, config.FeedforwardModules);
    }

    public bool Equals(Ia3Settings? other) =>
        other is not null && TargetModules.SequenceEqual(other.TargetModules) && FeedforwardModules.SequenceEqual(other.FeedforwardModules);

    public override int GetHashCode() => TargetModules.Concat(FeedforwardModules).Aggregate(17, (h, m) => h * 31 + m.GetHashCode(StringComparison.Ordinal));

    /// <summary>One layer's vector: x·l before the weights (feed-forward), or y·l after them.</summary>
    private sealed class Scaling(Parameter l, bool feedforward) : IProjectionHook
    {
        public static Parameter Attach(Projection layer, bool feedforward)
        {
            if (layer.Hooks.OfType<Scaling>().Any()) throw new InvalidOperationException("This layer already has an (IA)³ vector.");
            var l = nn.Parameter(feedforward ? ones(1, layer.InFeatures) : ones(layer.OutFeatures, 1));
            layer.register_parameter("ia3_l", l);
            layer.Attach(new Scaling(l, feedforward));
            return l;
        }

        public Tensor Input(Tensor x) => feedforward ? x * l : x;                 // (N, in) · (1, in)

        public Tensor Output(Tensor x, Tensor y) => feedforward ? y : y * l.flatten(); // (N, out) · (out)

        // Scaling the input scales the weight's input rows; scaling the output scales its output columns and the bias.
        public Tensor Weight(Projection layer, Tensor weight, bool differentiable) =>
            weight * layer.Stored(differentiable ? l : l.detach());

        public Tensor Bias(Projection layer, Tensor bias) => feedforward ? bias : bias * l.detach().flatten();
    }

    /// <summary>The fields of PEFT's IA3Config that describe these vectors.</summary>
    private sealed record PeftIa3Config(
        [property: JsonPropertyName("base_model_name_or_path")] string BaseModelNameOrPath,
        [property: JsonPropertyName("target_modules")] IReadOnlyList<string> TargetModules,
        [property: JsonPropertyName("feedforward_modules")] IReadOnlyList<string> FeedforwardModules)
    {
        [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "IA3";
        [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";
        [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; } = true; // GPT-2's Conv1D stores (in, out); Linear layers do not
        [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;
        [JsonPropertyName("init_ia3_weights")] public bool InitIa3Weights { get; init; } = true;
    }
}
