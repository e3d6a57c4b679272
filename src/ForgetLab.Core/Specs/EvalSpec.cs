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

    /// <summary>What the base must show on a retention suite for it to count (<c>eval.base_gate</c>); defaults in docs/science.md.</summary>
    public Analysis.BaseGate BaseGate { get; init; } = Analysis.BaseGate.Default;

    /// <summary>Per-suite gates (<c>eval.base_gate.suites</c>), by the suite's name as the spec writes it.</summary>
    public IReadOnlyDictionary<string, Analysis.BaseGate> SuiteGates { get; init; } = System.Collections.Immutable.ImmutableDictionary<string, Analysis.BaseGate>.Empty;
}
