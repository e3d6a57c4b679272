namespace ForgetLab.Core.Specs;

/// <summary>How the base model is pre-trained on its world (once; cached by <see cref="SpecHash"/>).</summary>
public sealed record PretrainSpec
{
    /// <summary>Optimizer steps. Default 1500; 1..1,000,000.</summary>
    public int Steps { get; init; } = 1500;

    /// <summary>Sequences per step. Default 16; 1..4096.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate. Default 1e-3; in (0, 1].</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>Linear warm-up steps. Default 100; at most <see cref="Steps"/>.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Schedule after warm-up. Default cosine.</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Cosine;

    /// <summary>AdamW weight decay. Default 0.01; 0..1.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Gradient-norm clip; 0 turns clipping off. Default 1.0; 0..1000.</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>
    /// The user's text JSONL to pre-train on instead of the world's text (<c>base.pretrain.corpus</c>); its tokenizer
    /// is built (word) or trained (sentencepiece, bpe) on it. Null: the world's text.
    /// </summary>
    public CorpusRef? Corpus { get; init; }
}
