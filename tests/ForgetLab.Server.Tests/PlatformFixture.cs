using System.Net.Http.Json;
using System.Text.Json.Nodes;

[assembly: AssemblyFixture(typeof(ForgetLab.Server.Tests.PlatformFixture))]

namespace ForgetLab.Server.Tests;

/// <summary>
/// One Azurite and one server for the whole test assembly; tests keep apart by using tenants no
/// other test uses. Tests that restart servers start their own on the same Azurite.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";

    private Azurite? _azurite;
    private ServerInstance? _server;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    public ServerInstance Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async ValueTask InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        // Submissions unthrottled here: the fuzz posts over a thousand with one key (RateLimitTests start their own server with the defaults).
        _server = await ServerInstance.StartAsync(_azurite.ConnectionString, "shared", AdminKey, "--ForgetLab:RateLimits:ExpensiveBurst", "1000000");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    /// <summary>Creates a tenant no other test uses and returns its id and a key with <paramref name="role"/>.</summary>
    public Task<(string TenantId, string Key)> NewTenant(string prefix, string role = "Member") => NewTenant(Server, prefix, role);

    public static async Task<(string TenantId, string Key)> NewTenant(ServerInstance server, string prefix, string role = "Member")
    {
        var tenant = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var admin = server.Client(AdminKey);
        var configured = await admin.PutJson($"api/v1/tenants/{tenant}", new { displayName = prefix, weight = 1, maxConcurrentDevices = 2 });
        Assert.Equal(System.Net.HttpStatusCode.OK, configured.StatusCode);
        return (tenant, await NewKey(server, tenant, role));
    }

    public static async Task<string> NewKey(ServerInstance server, string tenant, string role)
    {
        using var admin = server.Client(AdminKey);
        var issued = await admin.PostJson($"api/v1/tenants/{tenant}/keys", new { label = role, role });
        Assert.Equal(System.Net.HttpStatusCode.Created, issued.StatusCode);
        var body = JsonNode.Parse(await issued.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return body["secret"]!.GetValue<string>();
    }
}
