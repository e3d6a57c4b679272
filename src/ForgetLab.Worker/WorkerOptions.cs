namespace ForgetLab.Worker;

/// <summary>The worker's settings (section <c>ForgetLab:Worker</c>; command-line switches in <see cref="Program"/>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "ForgetLab:Worker";

    /// <summary>Unique in the pool; default: host name and process id.</summary>
    public string? Id { get; set; }

    /// <summary><c>cpu:N</c> (N CPU slots) or <c>cuda:0,cuda:1</c>.</summary>
    public string Devices { get; set; } = "cpu:1";

    /// <summary>Where jobs get their folders; default: a temporary folder per worker.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>The forgetlab CLI (forgetlab.dll) the jobs run; default: found beside this worker or in the repository's build output.</summary>
    public string? CliPath { get; set; }

    /// <summary>Passed to every job as <c>--world-data</c> (tests use small worlds).</summary>
    public string? WorldDataDirectory { get; set; }

    /// <summary>
    /// The operator's spec directory, as the server has it (<c>ForgetLab:Experiments:SpecBaseDirectory</c>):
    /// jobs open a tenant's suite files and model folders only inside it, and none when it is not set,
    /// whatever the server let through.
    /// </summary>
    public string? SpecBaseDirectory { get; set; }

    /// <summary>
    /// At most this much memory (GiB) reported per device: RAM or GPU memory the operator keeps for other work. Default: none
    /// (a CPU slot reports its share of the machine's RAM, a GPU its total memory).
    /// </summary>
    public double? DeviceMemoryGb { get; set; }

    /// <summary>Torch threads per CPU slot a job holds; default: cores / CPU slots.</summary>
    public int? ThreadsPerJob { get; set; }

    /// <summary>
    /// Take at most this many leases, then ask for no more and stop the process (exit code 0) once their jobs have ended; a preempted
    /// or lost lease counts as taken. For a machine lent for a fixed amount of work, and for tests that need a run to resume on
    /// another worker. Default: no limit.
    /// </summary>
    public int? MaxLeases { get; set; }

    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>How often a worker with free devices asks the pool for work.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>Blob container for checkpoints.</summary>
    public string Container { get; set; } = "checkpoints";

    /// <summary>At most one progress report per run this often (steps are reported in order regardless).</summary>
    public double ProgressSeconds { get; set; } = 1;

    /// <summary>
    /// A job's events (other than progress, which fold into one) that may wait while the server or storage is
    /// unreachable; when this many wait, the job pauses until they are delivered. About three per checkpoint.
    /// </summary>
    public int ReportBufferEvents { get; set; } = 1000;

    /// <summary>First wait before trying an unreachable server or storage again; it doubles per failure, with jitter.</summary>
    public double ReconnectInitialSeconds { get; set; } = 0.5;

    /// <summary>The longest wait between tries, so a worker is back within this long of the server's return.</summary>
    public double ReconnectMaxSeconds { get; set; } = 10;

    /// <summary>How often the Orleans client re-reads the cluster's gateways (a restarted server has new ones); Orleans' default is 60.</summary>
    public double GatewayRefreshSeconds { get; set; } = 5;
}
