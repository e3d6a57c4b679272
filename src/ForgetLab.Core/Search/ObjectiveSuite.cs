namespace ForgetLab.Core.Search;

/// <summary>One suite's paired delta against the base and its 95% interval (points), and the objective it enters.</summary>
public sealed record ObjectiveSuite(string Suite, ObjectiveRole Role, double DeltaPoints, double Ci95Low, double Ci95High);
