using System.Diagnostics;
using ForgetLab.Core.Jobs;
using ForgetLab.Worker.Outages;

namespace ForgetLab.Worker;

/// <summary>
/// One job as a child process, <c>dotnet forgetlab.dll lab job …</c>, so a native crash or an
/// out-of-memory kill ends the job and not the worker. Its stdout lines that are <see cref="JobEvent"/>s
/// come out of <see cref="Events"/> (a bounded <see cref="JobEventBuffer"/>: the job trains on while the worker
/// cannot relay, and pauses rather than be lost when too much waits); everything else (stderr, noise) goes to the
/// job's log file. A line that claims to be an event and is not one (malformed, unknown, another protocol version)
/// is logged with its line number and the reason, and kept as <see cref="ProtocolError"/>; it never stops the pump.
/// Its stdin carries the worker's answers to the events that ask (<see cref="Answer"/>).
/// </summary>
public sealed class JobProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly JobEventBuffer _events;
    // Cancelled once the job is killed: nobody reads its events any more, so a pump waiting on a full buffer gives up.
    private readonly CancellationTokenSource _killed = new();
    private readonly StreamWriter _log;
    private readonly Task _pump;

    /// <param name="observe">Sees every event as it comes, before progress events are folded together (the worker's metrics).</param>
    private JobProcess(Process process, StreamWriter log, JobEventBuffer events, Action<JobEvent>? observe)
    {
        _process = process;
        _log = log;
        _events = events;
        var stdout = Task.Run(async () =>
        {
            var number = 0;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                number++;
                var read = JobProtocol.Read(line);
                if (read.Error is { } error)
                {
                    ProtocolError = $"stdout line {number} is not a job event: {error}: {Shorten(line)}";
                    Log(ProtocolError);
                }
                else if (read.Event is { } e)
                {
                    observe?.Invoke(e);
                    try
                    {
                        await events.Add(e, _killed.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
                else Log("stdout: " + line);
            }
        });
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                LastError = line;
                Log(line);
            }
        });
        _pump = Task.WhenAll(stdout, stderr).ContinueWith(_ => events.Complete(), TaskScheduler.Default);
    }

    public JobEventBuffer Events => _events;

    public int Pid => _process.Id;

    public string? LastError { get; private set; }

    /// <summary>The latest stdout line that claimed to be an event and was not one, with why; null while every one was.</summary>
    public string? ProtocolError { get; private set; }

    public static JobProcess Start(
        string cliDll, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile, JobEventBuffer events,
        Action<JobEvent>? observe = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cliDll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return Start(start, logFile, events, observe);
    }

    /// <summary>Any child that speaks the protocol on stdout (tests start a shell that prints lines).</summary>
    internal static JobProcess Start(ProcessStartInfo start, string logFile, JobEventBuffer events, Action<JobEvent>? observe = null)
    {
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        return new JobProcess(process, log, events, observe);
    }

    /// <summary>Answers a question the job asked with an event (one line on its stdin).</summary>
    public async Task Answer(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process and its output to end; answers its exit code.</summary>
    public async Task<int> WaitForExit(CancellationToken cancel)
    {
        await _process.WaitForExitAsync(cancel);
        await _pump.WaitAsync(cancel);
        return _process.ExitCode;
    }

    public void Kill()
    {
        _killed.Cancel();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own.
        }
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";

    private void Log(string line)
    {
        lock (_log) _log.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        lock (_log) _log.Dispose();
        _process.Dispose();
    }
}
