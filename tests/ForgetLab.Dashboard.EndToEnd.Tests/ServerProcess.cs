using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ForgetLab.Server.Tests;

namespace ForgetLab.Dashboard.EndToEnd.Tests;

/// <summary>
/// The server as <c>./forgetlab up</c> runs it: its own process from this build's output (so the
/// dashboard's scripts and styles are served from its manifest), on free loopback ports.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address) => (_process, Address) = (process, address);

    public Uri Address { get; }

    /// <summary>The server's process id (a benchmark reads its memory from /proc; fault tests kill it).</summary>
    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <param name="extraArgs">More configuration as command-line pairs; a key given here wins over the defaults above (e.g. fixed silo ports for a restart).</param>
    public static async Task<ServerProcess> StartAsync(string connectionString, string clusterId, string adminKey, params string[] extraArgs)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        // FORGETLAB_SERVER_DIR: another build of the server (a benchmark times a published one against this build's).
        var bin = Environment.GetEnvironmentVariable("FORGETLAB_SERVER_DIR") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : RepoPaths.File("src", "ForgetLab.Server", "bin", tfm.Parent!.Name, tfm.Name);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            Path.Combine(bin, "ForgetLab.Server.dll"), "--urls", address.ToString().TrimEnd('/'), "--environment", "Production", "--contentRoot", bin,
            "--ConnectionStrings:Storage", connectionString,
            "--ForgetLab:Silo:ClusterId", clusterId, "--ForgetLab:Silo:ServiceId", clusterId,
            "--ForgetLab:Silo:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ForgetLab:Silo:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Orleans", "Error",
        ];
        foreach (var a in args.Concat(extraArgs)) start.ArgumentList.Add(a);
        // From the environment, as the server requires: a command line is readable by every local user (ps).
        start.Environment["ForgetLab__AdminKey"] = adminKey;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync("openapi/v1.json")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"The server did not answer on {address}:\n{server.Output}");
    }

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public async Task KillHard()
    {
        using var kill = Process.Start("kill", ["-9", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    public ValueTask DisposeAsync() => ChildProcesses.StopAsync(_process);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
