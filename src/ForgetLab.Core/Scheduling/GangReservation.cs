namespace ForgetLab.Core.Scheduling;

/// <summary>
/// A worker held for one queued run: its free devices go to that run only, so a multi-device run that
/// waited past the bound (or a run that preempted for devices there) gets the worker as it drains.
/// </summary>
/// <param name="WorkerId">Worker held.</param>
/// <param name="RunId">Queued run it is held for.</param>
public sealed record GangReservation(string WorkerId, string RunId);
