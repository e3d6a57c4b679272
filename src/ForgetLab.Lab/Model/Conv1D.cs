using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored as (in, out), so state dicts interchange
/// with Hugging Face's GPT-2 without transposes. It can carry a LoRA adapter (lora_A, lora_B) whose
/// names and shapes follow PEFT: lora_A (r, in), lora_B (out, r), delta = B·A·(alpha/r), B starting at zero.
/// </summary>
public sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (in, out)
    private readonly Parameter bias;   // (out)
    private Linear? lora_A;
    private Linear? lora_B;
    private Dropout? loraDropout;
    private double loraScaling;

    public Conv1D(long inFeatures, long outFeatures) : base(nameof(Conv1D))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = nn.Parameter(empty(inFeatures, outFeatures));
        bias = nn.Parameter(zeros(outFeatures));
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight => weight;
    public Parameter Bias => bias;
    public bool HasLora => lora_A is not null;
    public Linear? LoraA => lora_A;
    public Linear? LoraB => lora_B;

    public override Tensor forward(Tensor x)
    {
        var shape = x.shape.ToArray();
        shape[^1] = OutFeatures;
        var flat = x.reshape(-1, InFeatures);
        var y = addmm(bias, flat, weight, 1f, 1f);
        if (lora_A is not null)
        {
            // y + scaling · (x·Aᵀ)·Bᵀ in one fused addmm rather than matmul, scale and add.
            var a = loraDropout is null ? flat : loraDropout.forward(flat);
            y = y.addmm(lora_A.forward(a), lora_B!.weight!.t(), 1f, (float)loraScaling);
        }
        return y.view(shape);
    }

    /// <summary>Adds a LoRA adapter: A initialised as PyTorch's Linear default (Kaiming-uniform), B at zero.</summary>
    internal void AttachLora(int rank, double scaling, double dropout)
    {
        if (HasLora) throw new InvalidOperationException("This layer already has a LoRA adapter.");
        lora_A = nn.Linear(InFeatures, rank, hasBias: false);
        lora_B = nn.Linear(rank, OutFeatures, hasBias: false);
        using (no_grad()) lora_B.weight!.zero_();
        loraDropout = dropout > 0 ? nn.Dropout(dropout) : null;
        loraScaling = scaling;
        register_module("lora_A", lora_A);
        register_module("lora_B", lora_B);
    }

    /// <summary>The weight this layer applies: the base weight plus the adapter's update, (in, out).</summary>
    public Tensor EffectiveWeight() =>
        lora_A is null ? weight.detach() : weight.detach() + lora_B!.weight!.detach().matmul(lora_A.weight!.detach()).t().mul(loraScaling);

    /// <summary>The effective weight as a differentiable tensor (penalties on it reach the adapter), (in, out).</summary>
    public Tensor AdaptedWeight() =>
        lora_A is null ? weight : weight + lora_B!.weight!.matmul(lora_A.weight!).t().mul(loraScaling);

    /// <summary>Folds the adapter into the weight (W += (B·A)ᵀ·scaling) and zeroes B, so logits are unchanged.</summary>
    internal void MergeLora()
    {
        if (lora_A is null) return;
        using var _ = no_grad();
        weight.add_(lora_B!.weight!.matmul(lora_A.weight!).t().mul(loraScaling));
        lora_B.weight!.zero_();
    }
}
