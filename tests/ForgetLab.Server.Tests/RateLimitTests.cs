using System.Net;
using System.Net.Sockets;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Issue 10, finding 6 (no throttling): a server of its own with the default limits, so the
/// shared server's other tests are never throttled. Failed key checks are limited per client
/// address (a second loopback address stands for another client); the expensive endpoints per key.
/// </summary>
public sealed class RateLimitTests(PlatformFixture platform) : IAsyncLifetime
{
    private ServerInstance? _server;

    private ServerInstance Server => _server!;

    public async ValueTask InitializeAsync() =>
        _server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, $"ratelimits-{Guid.NewGuid():N}"[..24], PlatformFixture.AdminKey);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [Fact]
    public async Task Finding6ThreeHundredWrongKeysStartGetting429WithRetryAfterWhileAnotherAddressIsServed()
    {
        var (_, key) = await PlatformFixture.NewTenant(Server, "throttled");
        using var attacker = ClientFrom(IPAddress.Loopback);

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/experiments");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer flk_throttled_{i:x8}_wrong");
            using var response = await attacker.SendRequest(request);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));
        using var valid = ClientFrom(IPAddress.Loopback, key);
        var sameAddress = await valid.Get("api/v1/experiments");
        using var elsewhere = ClientFrom(IPAddress.Parse("127.0.0.2"), key);
        var otherAddress = await elsewhere.Get("api/v1/experiments");

        // 20 failures per 10 s window: a slow machine may see a second window start during the burst.
        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized), 20, 40);
        Assert.Equal(300, answers.Count(a => a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.InRange(a.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    [Fact]
    public async Task Finding6AKeyThatFloodsSubmissionsGets429WhileAnotherTenantsKeyIsServed()
    {
        var (_, floodKey) = await PlatformFixture.NewTenant(Server, "flood");
        var (_, otherKey) = await PlatformFixture.NewTenant(Server, "calm");
        using var flood = Server.Client(floodKey);
        using var other = Server.Client(otherKey);

        // Invalid specs: each is a cheap 400, but it still costs a parse, so it spends a token.
        var statuses = new List<(HttpStatusCode Status, TimeSpan? RetryAfter)>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await flood.SubmitYaml("name: [flood]");
            statuses.Add((response.StatusCode, response.Headers.RetryAfter?.Delta));
        }

        var calm = await other.SubmitYaml("name: [calm]");

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.BadRequest, s.Status)); // the burst
        var limited = statuses.Where(s => s.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited); // one token back per second, far slower than the loop
        Assert.All(limited, s => Assert.InRange(s.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.Equal(HttpStatusCode.BadRequest, calm.StatusCode);
    }

    /// <summary>A client whose connections leave from <paramref name="local"/> (any 127.x address reaches the server).</summary>
    private HttpClient ClientFrom(IPAddress local, string? key = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
