namespace ForgetLab.Core.Search;

/// <summary>Which objective a suite enters, by the report's own rules (<c>ForgettingAnalysis.Report</c>).</summary>
public enum ObjectiveRole
{
    /// <summary>A binary target suite: its delta is averaged into target gain.</summary>
    TargetGain,

    /// <summary>A binary knowledge or skill suite the base knows: its drop enters forgetting (the largest drop).</summary>
    Forgetting,
}
