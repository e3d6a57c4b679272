namespace ForgetLab.Worker;

/// <summary>Why a lease's job was stopped before it reported its end; the worker decides by this, never by the reason's text.</summary>
public enum LeaseStop
{
    /// <summary>The run was cancelled: the lease is released at once.</summary>
    RunCancelled,

    /// <summary>The run refused a report and said stop (the lease is not its current one, or it has ended).</summary>
    RunRefused,

    /// <summary>The pool no longer holds the lease; it is not released (it is gone already).</summary>
    LeaseLost,

    /// <summary>The worker shuts down; the lease is left to expire, and another worker resumes the run.</summary>
    WorkerShutdown,

    /// <summary>The pool preempted the lease: the job checkpointed (or its grace ran out) and the pool ended the lease; it is not released.</summary>
    Preempted,

    /// <summary>The experiment's search paused the run at a rung (or stopped it early) and gave the lease back itself; it is not released.</summary>
    Search,
}
