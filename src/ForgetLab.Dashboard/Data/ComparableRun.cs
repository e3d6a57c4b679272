namespace ForgetLab.Dashboard.Data;

/// <summary>A run the user may pick on the Compare page; <see cref="Ref"/> is what the compare call takes.</summary>
public sealed record ComparableRun(string Ref, string TenantId, string ExperimentId, string RunId, bool Shared);
