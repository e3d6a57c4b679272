namespace ForgetLab.Core.Search;

/// <summary>A run's checkpoint at a rung, as the search sees it: target gain and forgetting with their intervals.</summary>
public sealed record RungPoint(string Run, ObjectiveInterval TargetGain, ObjectiveInterval Forgetting);
