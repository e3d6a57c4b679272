namespace ForgetLab.Worker.Outages;

/// <summary>
/// One thing a lease tells the platform, as a step that may be repeated: a report to the run grain or an
/// upload to Blob storage. <see cref="Send"/> answers false when the run says stop. <see cref="Replay"/> is what
/// is repeated after an outage (default: <see cref="Send"/>); an upload's replay only uploads again what storage
/// no longer has. <see cref="Coalesces"/>: a progress report, of which only the newest is kept for replay.
/// </summary>
public sealed record ReportStep(string What, Func<CancellationToken, Task<bool>> Send)
{
    public Func<CancellationToken, Task<bool>>? Replay { get; init; }

    public bool Coalesces { get; init; }
}
