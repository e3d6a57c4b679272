using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// An evaluation-only spec names one base, so the platform evaluates all its <c>evaluate</c> entries in one job: the base is
/// loaded and scored once, then each entry is put on it in turn. Each entry is still a run of its own (its report row, its
/// checkpoint at step 0), but only the lead's run goes to the pool; the worker that leases it has the others join that lease
/// and reports each entry to its own run. This rule is the one place the experiment, the worker and the job agree on.
/// </summary>
public static class EvaluationGroup
{
    /// <summary>The run the pool leases for the whole group (the first entry), or null when the spec trains a grid.</summary>
    public static string? LeadOf(LabSpec spec) => spec.IsEvaluationOnly ? spec.Evaluate[0].Name : null;

    /// <summary>The runs that join the lead's lease: every other entry, in the spec's order.</summary>
    public static IReadOnlyList<string> MembersOf(LabSpec spec) => spec.IsEvaluationOnly ? [.. spec.Evaluate.Skip(1).Select(e => e.Name)] : [];
}
