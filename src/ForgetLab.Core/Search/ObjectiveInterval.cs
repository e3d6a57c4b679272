namespace ForgetLab.Core.Search;

/// <summary>An objective's point estimate at a checkpoint with its 95% interval, in points (as the report's deltas).</summary>
public sealed record ObjectiveInterval(double Estimate, double Low, double High)
{
    /// <summary>An objective that no suite enters (no binary target suite, or nothing the base knows): exactly 0.</summary>
    public static readonly ObjectiveInterval Zero = new(0, 0, 0);
}
