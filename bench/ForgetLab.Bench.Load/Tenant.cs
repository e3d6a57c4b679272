using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ForgetLab.Dashboard.EndToEnd.Tests;
using ForgetLab.Server.Tests;

namespace ForgetLab.Bench.Load;

/// <summary>The benchmark's tenant, its keys, and the specs it sends.</summary>
internal static class Tenant
{
    /// <summary>A tiny run that trains for a few minutes on one CPU thread: long enough to outlast the load.</summary>
    public static readonly string TrainingSpec = TinySpecs.Grid("load", steps: 20000, every: 2000);

    /// <summary>What a script with a typo sends: a 400 naming the field.</summary>
    public const string BadSpec = """
        name: typo
        base: { world: builtin }
        target: { task: conflicting }
        suites: [target, /etc/passwd]
        """;

    public static async Task<(string Member, string Viewer)> Create(ServerProcess server, string adminKey, string name)
    {
        using var admin = server.Client(adminKey);
        (await admin.PutAsJsonAsync($"api/v1/tenants/{name}", new { displayName = name, weight = 1, maxConcurrentDevices = 1 })).EnsureSuccessStatusCode();
        return (await Key(admin, name, "Member"), await Key(admin, name, "Viewer"));
    }

    public static async Task<string> WaitForRunState(HttpClient api, string runId, string[] states, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = (string)JsonNode.Parse(await api.GetStringAsync($"api/v1/experiments/load/runs/{runId}"))!["state"]!;
            if (states.Contains(state)) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run {runId} is still {state}");
            await Task.Delay(500);
        }
    }

    private static async Task<string> Key(HttpClient admin, string tenant, string role)
    {
        var issued = await admin.PostAsJsonAsync($"api/v1/tenants/{tenant}/keys", new { label = $"bench-{role.ToLowerInvariant()}", role });
        issued.EnsureSuccessStatusCode();
        return JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
    }
}
