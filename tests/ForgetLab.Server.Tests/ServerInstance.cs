using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A real ForgetLab server in this process: <see cref="Program.Build"/> with Kestrel on a free
/// loopback port and the silo on free silo/gateway ports, storing everything in the given Azurite.
/// </summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerInstance(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's services, for tests that call what the dashboard calls.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The in-process silo's grains, for tests that play a worker without running one.</summary>
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="clusterId">Cluster and service id: servers with the same one share grain state.</param>
    /// <param name="extraArgs">More configuration, as command-line pairs (e.g. a short lease TTL).</param>
    public static async Task<ServerInstance> StartAsync(string connectionString, string clusterId, string adminKey, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Production",
            "--ConnectionStrings:Storage", connectionString,
            "--ForgetLab:AdminKeyFile", AdminKeyFile(adminKey),
            "--ForgetLab:Silo:ClusterId", clusterId,
            "--ForgetLab:Silo:ServiceId", clusterId,
            "--ForgetLab:Silo:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ForgetLab:Silo:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Orleans", "Error",
        ];
        var app = Program.Build([.. args, .. extraArgs]);
        await app.StartAsync();
        return new ServerInstance(app, new Uri(app.Urls.Single()));
    }

    /// <summary>A client for this server, with <paramref name="apiKey"/> as its Bearer token when given.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The admin key in a file, the way the server takes it (never on a command line).</summary>
    private static string AdminKeyFile(string adminKey)
    {
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-admin-{Guid.NewGuid():N}.key");
        File.WriteAllText(path, adminKey);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
