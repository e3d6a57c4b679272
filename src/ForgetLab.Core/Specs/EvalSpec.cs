namespace ForgetLab.Core.Specs;

/// <summary>How checkpoints are evaluated on the suites.</summary>
public sealed record EvalSpec
{
    /// <summary>Items per suite; 0 means all. Default 200; 0..1,000,000.</summary>
    public int MaxItems { get; init; } = 200;

    /// <summary>Sequences per forward pass. Default 64; 1..4096.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Paired-bootstrap resamples for continuous metrics. Default 10,000; 100..1,000,000.</summary>
    public int BootstrapResamples { get; init; } = 10_000;
}
