namespace ForgetLab.Contracts.Experiments;

/// <summary>A spec to run, and how its runs ask the pool for devices.</summary>
/// <param name="SpecText">The lab spec as YAML; its <c>name</c> must be the experiment id.</param>
/// <param name="Priority">Higher goes first among the tenant's queued runs.</param>
/// <param name="DeviceKind">"cuda", "cpu" or "any".</param>
/// <param name="DevicesPerRun">Devices each run needs on one worker (≥ 1).</param>
/// <param name="PriorityClass">"low", "normal" or "high": the runs' class across tenants, in the fair-share order and for preemption.</param>
[GenerateSerializer, Immutable, Alias("forgetlab.ExperimentSubmission")]
public sealed record ExperimentSubmission(
    [property: Id(0)] string SpecText,
    [property: Id(1)] int Priority = 0,
    [property: Id(2)] string DeviceKind = "any",
    [property: Id(3)] int DevicesPerRun = 1,
    [property: Id(4)] string PriorityClass = "normal");
