namespace ForgetLab.Contracts.Runs;

/// <summary>A run's answer to losing its lease: the queue entry to put back, or why it stays off the queue (it ended meanwhile).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RequeueResult")]
public sealed record RequeueResult(
    [property: Id(0)] QueueEntry? Entry,
    [property: Id(1)] string? Error);
