namespace ForgetLab.Core.Analysis;

/// <summary>A two-sided interval, in the same units as the estimate it brackets.</summary>
public readonly record struct ConfidenceInterval(double Low, double High)
{
    public bool Contains(double value) => Low <= value && value <= High;
}
