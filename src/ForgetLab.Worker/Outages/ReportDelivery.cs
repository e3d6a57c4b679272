using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker.Outages;

/// <summary>
/// Delivers a lease's reports and uploads in order, through outages of the server or of storage, and makes
/// their effect exactly-once. A step that fails is tried again after a <see cref="ReconnectBackoff"/> wait, for
/// as long as it takes (a lease is never failed for lack of a server; the pool decides when it is lost).
/// Every delivered step is kept in a journal (every checkpoint's, and only the newest progress report, so it is
/// bounded by the run's checkpoints); after a failure, once the platform answers again, the whole journal is
/// replayed before the next step. The run grain answers a repeated report <c>Duplicate</c> and an upload
/// replays only what storage lacks, so the replay changes nothing that was kept, and restores what a restarted
/// store lost (Azurite killed with -9 forgets its last seconds of writes).
/// Errors that no retry can mend (a local file missing or corrupt) are thrown.
/// </summary>
public sealed class ReportDelivery(ReconnectBackoff backoff, ILogger logger, string leaseId)
{
    private readonly List<ReportStep> _journal = [];
    private bool _replayDue;

    /// <summary>Delivered steps kept for replay.</summary>
    public int Journaled => _journal.Count;

    /// <summary>Failed tries since the lease started (each followed by a backoff wait).</summary>
    public int Failures { get; private set; }

    /// <summary>Journal replays after an outage.</summary>
    public int Replays { get; private set; }

    /// <summary>Delivers the step (after replaying the journal when an outage came before); false when the run said stop.</summary>
    public async Task<bool> Deliver(ReportStep step, CancellationToken cancel)
    {
        var failures = 0;
        var since = backoff.Time.GetTimestamp();
        while (true)
        {
            try
            {
                if (_replayDue && !await ReplayJournal(cancel)) return false;
                var goOn = await step.Send(cancel);
                if (failures > 0)
                    logger.LogInformation("Lease {Lease}: {What} delivered after {Failures} failed tries over {Seconds:0.0} s",
                        leaseId, step.What, failures, backoff.Time.GetElapsedTime(since).TotalSeconds);
                Journal(step);
                return goOn;
            }
            catch (Exception e) when (!cancel.IsCancellationRequested && IsTransient(e))
            {
                failures++;
                Failures++;
                _replayDue = true;
                var wait = backoff.DelayAfter(failures);
                // The first failure with its stack; later ones in a line, so a long outage does not flood the log.
                if (failures == 1) logger.LogWarning(e, "Lease {Lease}: {What} failed; the job trains on, retrying with backoff", leaseId, step.What);
                else logger.LogWarning("Lease {Lease}: {What} failed (try {Try}, retrying in {Wait:0.0} s): {Error}", leaseId, step.What, failures, wait.TotalSeconds, e.Message);
                await Task.Delay(wait, backoff.Time, cancel);
            }
        }
    }

    /// <summary>
    /// Tries <paramref name="action"/> until it succeeds (a download before the job starts, a release): the same
    /// backoff, no journal.
    /// </summary>
    public async Task<T> Retry<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken cancel)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await action(cancel);
            }
            catch (Exception e) when (!cancel.IsCancellationRequested && IsTransient(e))
            {
                Failures++;
                var wait = backoff.DelayAfter(failures);
                logger.LogWarning("Lease {Lease}: {What} failed (try {Try}, retrying in {Wait:0.0} s): {Error}", leaseId, what, failures, wait.TotalSeconds, e.Message);
                await Task.Delay(wait, backoff.Time, cancel);
            }
        }
    }

    /// <summary>Failures no retry mends: the worker's own files, bad data, a cancelled wait.</summary>
    public static bool IsTransient(Exception e) => e is not (OperationCanceledException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or InvalidDataException or ArgumentException or System.Text.Json.JsonException);

    private async Task<bool> ReplayJournal(CancellationToken cancel)
    {
        foreach (var done in _journal)
            if (!await (done.Replay ?? done.Send)(cancel)) return false;
        _replayDue = false;
        Replays++;
        logger.LogInformation("Lease {Lease}: the platform answers again; replayed {Count} delivered reports and uploads", leaseId, _journal.Count);
        return true;
    }

    private void Journal(ReportStep step)
    {
        if (step.Coalesces) _journal.RemoveAll(s => s.Coalesces);
        _journal.Add(step);
    }
}
