using System.Diagnostics;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A real Azurite, started by the repository's own <c>tools/azurite/start.sh</c> (which installs it
/// with npm when it is missing) into a temporary data folder on free loopback ports, and stopped
/// with <c>stop.sh</c>. It also stops by itself if this test process dies (AZURITE_WATCH_PID).
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private Azurite(string dataDirectory, int pid, string connectionString) =>
        (DataDirectory, Pid, ConnectionString) = (dataDirectory, pid, connectionString);

    public string DataDirectory { get; }

    public int Pid { get; }

    public string ConnectionString { get; }

    public static Task<Azurite> StartAsync() => StartAsync(Path.Combine(Path.GetTempPath(), $"forgetlab-azurite-{Guid.NewGuid():N}"), []);

    /// <summary>kill -9 (it persists its metadata every 5 s, so the last seconds of writes are lost), then the same data on the same ports.</summary>
    public async Task<Azurite> KillHardAndRestart(TimeSpan down)
    {
        using (var kill = Process.Start("kill", ["-9", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
        while (Alive(Pid)) await Task.Delay(50);
        await Task.Delay(down);
        string Port(string endpoint) => System.Text.RegularExpressions.Regex.Match(ConnectionString, endpoint + @"=http://127\.0\.0\.1:(\d+)/").Groups[1].Value;
        return await StartAsync(DataDirectory, [Port("BlobEndpoint"), Port("QueueEndpoint"), Port("TableEndpoint")]);
    }

    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<Azurite> StartAsync(string data, string[] ports)
    {
        var result = await Script("start.sh", [data, .. ports], TimeSpan.FromMinutes(5));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var pid = lines.FirstOrDefault(l => l.StartsWith("AZURITE_PID=", StringComparison.Ordinal))?["AZURITE_PID=".Length..];
        var cs = lines.FirstOrDefault(l => l.StartsWith("AZURITE_CONNECTION_STRING=", StringComparison.Ordinal))?["AZURITE_CONNECTION_STRING=".Length..];
        if (result.ExitCode != 0 || pid is null || cs is null)
        {
            throw new InvalidOperationException(
                $"Could not start Azurite with tools/azurite/start.sh (exit code {result.ExitCode}). These tests need Node.js 20+ and " +
                $"either tools/azurite/node_modules or access to the npm registry for `npm ci`.\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        }

        return new Azurite(data, int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), cs);
    }

    public async ValueTask DisposeAsync()
    {
        await Script("stop.sh", [DataDirectory], TimeSpan.FromSeconds(30));
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean with the temp folder.
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Script(string script, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.File("tools", "azurite", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AZURITE_WATCH_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A restart after kill -9 reloads the data directory a grid has filled; with the other test projects building
        // and training beside it on two cores that took longer than start.sh's default 60 s once (CI, 2026-12-02).
        // The fixture's own timeout (minutes) still bounds it.
        start.Environment["AZURITE_READY_TIMEOUT"] = "240";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await stdout, $"{await stderr}\n{script} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
