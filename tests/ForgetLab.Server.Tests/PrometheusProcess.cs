using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, which <c>.ci/run</c> installs when missing) on a free
/// loopback port with its own TSDB folder, scraping the given targets four times a second and evaluating
/// the given rule files. Ready when <c>/-/ready</c> answers.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusProcess(Process process, string directory, Uri address) => (_process, _directory, Address) = (process, directory, address);

    public Uri Address { get; }

    /// <summary>The binary, or null when it is not installed.</summary>
    public static string? Binary(string name = "prometheus") =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <param name="jobs">Job name → host:port targets.</param>
    public static async Task<PrometheusProcess> StartAsync(IReadOnlyDictionary<string, string[]> jobs, IReadOnlyList<string> ruleFiles)
    {
        var binary = Binary() ?? throw new InvalidOperationException("prometheus is not installed (apt-get install --no-install-recommends prometheus; .ci/run does it)");
        var dir = Directory.CreateTempSubdirectory("forgetlab-prometheus-").FullName;
        var config = string.Join('\n',
        [
            "global:", "  scrape_interval: 250ms", "  scrape_timeout: 250ms", "  evaluation_interval: 1s",
            "rule_files:", .. ruleFiles.Select(f => $"  - '{f}'"),
            "scrape_configs:",
            .. jobs.SelectMany(j => new[] { $"  - job_name: {j.Key}", "    static_configs:", $"      - targets: [{string.Join(", ", j.Value.Select(t => $"'{t}'"))}]" }),
        ]) + "\n";
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"), config);

        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     $"--config.file={Path.Combine(dir, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(dir, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var prometheus = new PrometheusProcess(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) break;
            try
            {
                if ((await http.GetAsync(new Uri(prometheus.Address, "-/ready"))).IsSuccessStatusCode) return prometheus;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        await prometheus.DisposeAsync();
        lock (log) throw new InvalidOperationException($"Prometheus did not become ready:\n{log}\nconfig:\n{config}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
