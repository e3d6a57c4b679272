using System.Diagnostics;
using System.Text;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A real worker process (<c>ForgetLab.Worker.dll</c> from this build) on the given storage and cluster,
/// with one CPU slot, a small world and its own model cache. Started when it says <c>WORKER_READY</c>.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, string workDirectory) => (_process, WorkDirectory) = (process, workDirectory);

    /// <summary>Where its jobs run (each lease's folder holds the job's <c>job.log</c>).</summary>
    public string WorkDirectory { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static async Task<WorkerProcess> StartAsync(
        string connectionString, string clusterId, string worldData, string cache, string id, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? extraArgs = null)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = RepoPaths.File("src", "ForgetLab.Worker", "bin", tfm.Parent!.Name, tfm.Name, "ForgetLab.Worker.dll");
        var work = Path.Combine(Path.GetTempPath(), $"forgetlab-worker-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            dll, "--devices", "cpu:1", "--id", id, "--storage", connectionString, "--cluster-id", clusterId, "--service-id", clusterId,
            "--world-data", worldData, "--threads", "1", "--work-dir", work,
            "--ForgetLab:Worker:HeartbeatSeconds", "1", "--ForgetLab:Worker:PollSeconds", "0.5", "--ForgetLab:Worker:ProgressSeconds", "0",
            "--Logging:LogLevel:Orleans", "Warning",
        ];
        foreach (var a in args.Concat(extraArgs ?? [])) start.ArgumentList.Add(a);
        start.Environment["FORGETLAB_CACHE"] = cache;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the worker");
        var worker = new WorkerProcess(process, work);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (worker._output) worker._output.AppendLine(e.Data);
            if (e.Data.StartsWith("WORKER_READY", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (worker._output) worker._output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != ready.Task)
        {
            await worker.DisposeAsync();
            throw new InvalidOperationException($"The worker did not become ready:\n{worker.Output}");
        }
        return worker;
    }

    /// <summary>
    /// Waits for the worker to end on its own (one started with <c>--max-leases</c>) and returns its exit code; a worker still running
    /// after <paramref name="timeout"/> fails the test with its output.
    /// </summary>
    public async Task<int> ExitedAsync(TimeSpan timeout, CancellationToken cancel = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancel).WaitAsync(timeout, cancel);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The worker did not exit within {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>kill -9: no goodbye to the pool, its lease has to expire.</summary>
    public void KillHard() => Process.Start("kill", ["-9", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public ValueTask DisposeAsync() => ChildProcesses.StopAsync(_process);
}
