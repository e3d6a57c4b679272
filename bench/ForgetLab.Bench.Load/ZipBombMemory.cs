using System.Diagnostics;
using System.Net.Http.Headers;
using ForgetLab.Dashboard.EndToEnd.Tests;
using ForgetLab.Server.Tests;

namespace ForgetLab.Bench.Load;

/// <summary>
/// The zip-bomb finding, measured on a server process: its resident memory (VmRSS) and peak (VmHWM)
/// from /proc before and after the 2.6 MB zip that expands to 2.5 GiB is posted, and how long the 400 took.
/// </summary>
internal static class ZipBombMemory
{
    public static async Task Run(string adminKey)
    {
        await using var azurite = await Azurite.StartAsync();
        await using var server = await ServerProcess.StartAsync(azurite.ConnectionString, "bench-bomb", adminKey);
        var (member, _) = await Tenant.Create(server, adminKey, "bomb");
        using var api = server.Client(member);
        // A good upload first, so the path is warm and the memory measured is the bomb's.
        await Post(api, "warm", ModelFolders.Zip());
        foreach (var kind in ModelBombs.Kinds)
        {
            var zip = ModelBombs.Zip(kind);
            var before = Memory(server.Pid);
            var clock = Stopwatch.StartNew();
            var (status, body) = await Post(api, "bomb", zip);
            clock.Stop();
            await Task.Delay(500);
            var after = Memory(server.Pid);
            Console.WriteLine($"zip bomb '{kind}' ({zip.Length / 1e6:0.0} MB → {ModelBombs.Expands(kind) / (double)(1L << 30):0.00} GiB): {status} in {clock.ElapsedMilliseconds} ms; " +
                $"server RSS {before.Rss} → {after.Rss} MiB, peak {before.Peak} → {after.Peak} MiB");
            Console.WriteLine($"  {body[..Math.Min(body.Length, 240)]}");
        }
    }

    private static async Task<(int Status, string Body)> Post(HttpClient api, string name, byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await api.PostAsync($"api/v1/models?name={name}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>VmRSS and VmHWM of the process, in MiB.</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) => long.Parse(lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }
}
