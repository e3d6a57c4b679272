using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Issue 10's fuzz over HTTP: 1,200 generated hostile submissions (deep nesting, huge values, alias
/// bombs, random bytes, invalid UTF-8, wrong types, unknown fields, hostile JSON) posted with a
/// Member key to the real server on Azurite. Every one is a 400, none is a 5xx, the server keeps
/// answering, and the tenant's experiment list stays empty.
/// </summary>
public sealed class SpecFuzzTests(PlatformFixture platform)
{
    private const int Submissions = 1_200;

    /// <summary>A body, its media type, and what it is for the failure message.</summary>
    private sealed record Submission(byte[] Body, string MediaType, string Kind)
    {
        public override string ToString() => $"{Kind} ({Body.Length} bytes of {MediaType}): {Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 200)))}";
    }

    private static readonly Gen<Submission> Hostile = Gen.OneOf(
        HostileSpecs.Invalid.Select(yaml => new Submission(Encoding.UTF8.GetBytes(yaml), "text/yaml", "YAML")),
        // Raw bytes: invalid UTF-8 reaches the server as it was sent.
        HostileSpecs.RandomBytes.Select(bytes => new Submission(bytes, "text/yaml", "bytes")),
        HostileSpecs.Invalid.Select(yaml => new Submission(Encoding.UTF8.GetBytes(new JsonObject { ["spec"] = yaml }.ToJsonString()), "application/json", "JSON spec")),
        Gen.Select(Gen.Int[17, 5_000], Gen.Int[0, 1], (depth, objects) => new Submission(Encoding.UTF8.GetBytes(objects == 0
                ? "{\"spec\": " + new string('[', depth) + new string(']', depth) + "}"
                : string.Concat(Enumerable.Repeat("{\"spec\": ", depth)) + "1" + new string('}', depth)), "application/json", "deep JSON")),
        Gen.Select(Gen.OneOf("priority", "devicesPerRun", "deviceKind", "spec"), Gen.OneOf("\"x\"", "[1]", "{}", "true", "1e400", "-2147483649", "2147483648", "1000000"),
            (field, value) => new Submission(Encoding.UTF8.GetBytes(
                field == "spec" ? $"{{\"spec\": {value}}}" : $"{{\"spec\": {new JsonObject { ["x"] = HostileSpecs.Valid }["x"]!.ToJsonString()}, \"{field}\": {(field == "deviceKind" ? "\"gpu-" + value.Length + "\"" : value)}}}"),
                "application/json", "JSON field")));

    [Fact]
    public async Task HostileSubmissionsAreAll400AndStoreNothing()
    {
        var (_, key) = await platform.NewTenant("fuzz");
        using var client = platform.Server.Client(key);
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();

        await Hostile.CheckAsync(Submissions, async submission =>
        {
            var content = new ByteArrayContent(submission.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(submission.MediaType);
            var (status, body) = await client.Post("api/v1/experiments", content).Text();
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} for {submission}: {body[..Math.Min(body.Length, 500)]}");
        }, parallel: 4);

        var (listStatus, list) = await client.Get("api/v1/experiments").Json();
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Empty(list!.AsArray());
        Assert.Equal(Submissions, statuses.GetValueOrDefault(HttpStatusCode.BadRequest));
    }
}
