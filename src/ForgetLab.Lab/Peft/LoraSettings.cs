using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Lab.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// LoRA (Hu et al. 2021) on the projections named by <see cref="TargetModules"/> (PEFT's rule): each
/// gets <c>lora_A</c> (r, in; PyTorch's Linear default init) and <c>lora_B</c> (out, r; zero) registered
/// under it, and computes y + scaling · B·A·x, scaling alpha/r (or alpha/√r with rsLoRA). Only the
/// adapters train, so base weights stay bit-identical. Checkpoints use PEFT's layout
/// (<see cref="PeftAdapterFiles"/>), so <c>PeftModel.from_pretrained</c> loads them onto a GPT-2 base.
/// </summary>
public sealed record LoraSettings(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules, bool UseRsLora = false) : PeftSettings
{
    public override string Method => "lora";

    public override bool Owns(string key) => key.Contains(".lora_", StringComparison.Ordinal);

    /// <summary>PEFT's matching rule: a layer matches a module name equal to its path or to a dotted tail of it.</summary>
    public bool Targets(string layerPath) => ModuleTargets.Matches(layerPath, TargetModules);

    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Attaches adapters to the matching layers and returns the trainable (adapter) parameters.</summary>
    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        var targets = ModuleTargets.Select(model, TargetModules);
        FreezeAll(model);
        var branches = targets.Select(t => Branch.Attach(t.Layer, Rank, Scaling, Dropout)).ToList();
        var trainable = branches.SelectMany(b => new[] { b.A.weight!, b.B.weight! }).ToList();
        foreach (var p in trainable) p.requires_grad = true;
        return trainable;
    }

    /// <summary>Folds every adapter into its base weight (W += (B·A)ᵀ·scaling, B zeroed), so logits are unchanged.</summary>
    public static void Merge(CausalLanguageModel model)
    {
        using var _ = no_grad();
        foreach (var (_, layer) in model.Projections())
        foreach (var branch in layer.Hooks.OfType<Branch>())
        {
            layer.Weight.add_(layer.Stored(branch.B.weight!.matmul(branch.A.weight!)).mul(branch.Scaling));
            branch.B.weight!.zero_();
        }
    }

    public override void Save(CausalLanguageModel model, string directory, string baseModelName) =>
        PeftAdapterFiles.Write(model, Owns, directory,
            new PeftLoraConfig(baseModelName, Rank, Alpha, Dropout, ModuleTargets.Saved(model, TargetModules), UseRsLora) { FanInFanOut = model.FanInFanOut });

    public override void LoadWeights(CausalLanguageModel model, string directory) => PeftAdapterFiles.LoadWeights(model, directory);

    /// <summary>The settings an adapter folder in PEFT's layout was saved with.</summary>
    public static LoraSettings Read(string directory)
    {
        var config = PeftAdapterFiles.ReadConfig<PeftLoraConfig>(directory, c => c.PeftType, "LORA");
        return new LoraSettings(config.R, config.LoraAlpha, config.LoraDropout, config.TargetModules, config.UseRsLora);
    }

    /// <summary>One layer's adapter: y + scaling · (x·Aᵀ)·Bᵀ.</summary>
    private sealed class Branch : IProjectionHook
    {
        private readonly Dropout? dropout;

        private Branch(Linear a, Linear b, double scaling, Dropout? dropout)
        {
            (A, B, Scaling) = (a, b, scaling);
            this.dropout = dropout;
        }

        public Linear A { get; }
        public Linear B { get; }
        public double Scaling { get; }

        public static Branch Attach(Projection layer, int rank, double scaling, double dropout)
        {
            if (layer.Hooks.OfType<Branch>().Any()) throw new InvalidOperationException("This layer already has a LoRA adapter.");
            var a = nn.Linear(layer.InFeatures, rank, hasBias: false);
            var b = nn.Linear(rank, layer.OutFeatures, hasBias: false);
            using (no_grad()) b.weight!.zero_();
            var branch = new Branch(a, b, scaling, dropout > 0 ? nn.Dropout(dropout) : null);
            layer.register_module("lora_A", a);
            layer.register_module("lora_B", b);
            // Registered (as PEFT's lora_dropout), so the model's train()/eval() switch it: unregistered, it dropped out in evaluation too.
            if (branch.dropout is not null) layer.register_module("lora_dropout", branch.dropout);
            layer.Attach(branch);
            return branch;
        }

        // One fused addmm rather than matmul, scale and add; under autocast both products run in its compute dtype,
        // as PEFT's lora_A/lora_B (nn.Linear) do under torch.autocast.
        public Tensor Output(Tensor x, Tensor y) =>
            Autocast.AddMM(y, Autocast.Linear(dropout is null ? x : dropout.forward(x), A.weight!), B.weight!.t(), 1f, (float)Scaling);

        public Tensor Weight(Projection layer, Tensor weight, bool differentiable)
        {
            var (a, b) = differentiable ? ((Tensor)A.weight!, (Tensor)B.weight!) : (A.weight!.detach(), B.weight!.detach());
            return weight + layer.Stored(b.matmul(a)).mul(Scaling);
        }
    }

    /// <summary>The fields of PEFT's LoraConfig that describe this adapter.</summary>
    private sealed record PeftLoraConfig(
        [property: JsonPropertyName("base_model_name_or_path")] string BaseModelNameOrPath,
        [property: JsonPropertyName("r")] int R,
        [property: JsonPropertyName("lora_alpha")] double LoraAlpha,
        [property: JsonPropertyName("lora_dropout")] double LoraDropout,
        [property: JsonPropertyName("target_modules")] IReadOnlyList<string> TargetModules,
        [property: JsonPropertyName("use_rslora")] bool UseRsLora)
    {
        [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
        [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";
        [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; } = true; // GPT-2's Conv1D stores (in, out); Linear layers do not
        [JsonPropertyName("bias")] public string Bias { get; init; } = "none";
        [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;
        [JsonPropertyName("init_lora_weights")] public bool InitLoraWeights { get; init; } = true;
    }
}
