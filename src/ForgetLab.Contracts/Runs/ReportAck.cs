namespace ForgetLab.Contracts.Runs;

/// <summary>
/// Answer to a worker's report. <see cref="StopRequested"/> tells the worker to stop the job: the
/// run was cancelled, or the report came under a lease the run no longer holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ReportAck")]
public sealed record ReportAck(
    [property: Id(0)] ReportOutcome Outcome,
    [property: Id(1)] RunState State,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool StopRequested);
