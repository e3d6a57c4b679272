namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// InstructGPT's PPO-ptx: <c>coef</c> · the language-model loss on a batch of pre-training text is added to
/// every step's loss (Ouyang et al. 2022, γ). YAML: <c>rl.ptx: { coef: 1, corpus: pretrain }</c>.
/// </summary>
public sealed record PtxSpec
{
    /// <summary>γ; greater than 0.</summary>
    public double Coef { get; init; }

    /// <summary>Whose text: <c>pretrain</c>, the base's pre-training corpus (the only one so far).</summary>
    public string Corpus { get; init; } = PretrainCorpus;

    public const string PretrainCorpus = "pretrain";
}
