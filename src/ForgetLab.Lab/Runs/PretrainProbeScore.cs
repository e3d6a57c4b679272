namespace ForgetLab.Lab.Runs;

/// <summary>A probe suite's score on the base after <paramref name="Step"/> pre-training steps (percent for binary suites, else the metric's mean).</summary>
public sealed record PretrainProbeScore(int Step, string Suite, string Metric, double Score);
