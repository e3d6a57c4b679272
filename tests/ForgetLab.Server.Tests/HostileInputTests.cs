using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Issue 10's findings as regression tests, over HTTP against the shared server: each hostile
/// request is refused with a 400 (or 403, 404, 413) naming the field or the limit, nothing is
/// stored, and the server keeps answering.
/// </summary>
public sealed class HostileInputTests(PlatformFixture platform)
{
    private static readonly string Brackets = "name: " + new string('[', 50_000) + new string(']', 50_000);
    private static readonly string FlowMappings = "name: " + string.Concat(Enumerable.Repeat("{a: ", 20_000));

    [Fact]
    public async Task Finding1FiftyThousandBracketsAre400NamingTheDepthLimitAndTheServerStaysUp()
    {
        var (_, key) = await platform.NewTenant("brackets");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.SubmitYaml(Brackets).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nest deeper than the limit of 32 levels", Message(body));
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task Finding1TwentyThousandFlowMappingsAre400AsYamlAndAsJson()
    {
        var (_, key) = await platform.NewTenant("mappings");
        using var client = platform.Server.Client(key);

        var (yamlStatus, yamlBody) = await client.SubmitYaml(FlowMappings).Json();
        var (jsonStatus, jsonBody) = await client.PostJson("api/v1/experiments", new { spec = FlowMappings }).Json();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (yamlStatus, jsonStatus));
        Assert.Contains("nest deeper than the limit of 32 levels", Message(yamlBody));
        Assert.Contains("nest deeper than the limit of 32 levels", Message(jsonBody));
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task Finding1DeeplyNestedJsonIs400AtTheFieldItBreaks()
    {
        var (tenant, key) = await platform.NewTenant("deepjson");
        using var client = platform.Server.Client(key);
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);
        var deep = new string('[', 20_000) + new string(']', 20_000);

        // The reader stops at the first token a field cannot take, long before the depth limit (16) would.
        var (specStatus, specBody) = await client.Post("api/v1/experiments", new StringContent("{\"spec\": " + deep + "}", Encoding.UTF8, "application/json")).Json();
        var (rootStatus, rootBody) = await client.Post("api/v1/experiments", new StringContent(deep, Encoding.UTF8, "application/json")).Json();
        var (tenantStatus, tenantBody) = await admin.SendRequest(new HttpRequestMessage(HttpMethod.Put, $"api/v1/tenants/{tenant}")
        {
            Content = new StringContent("{\"displayName\": " + deep + "}", Encoding.UTF8, "application/json"),
        }).Json();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (specStatus, rootStatus, tenantStatus));
        Assert.Equal(("spec", "expected a string"), FirstError(specBody));
        Assert.Equal(("(document)", "expected an object with the documented fields"), FirstError(rootBody));
        // A bound record (the tenant's) is read by System.Text.Json's async deserializer, which reads a string field's
        // whole value ahead when the body has not all arrived in its buffer yet: then the depth limit is what it meets
        // first. Which one depends on how the body's bytes arrive; both are a 400 that names the field.
        var (tenantField, tenantMessage) = FirstError(tenantBody);
        Assert.Equal("displayName", tenantField);
        Assert.Contains(tenantMessage, new[] { "expected a string", "the JSON nests deeper than the limit of 16 levels" });
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task Finding1ABodyOverOneMebibyteIs413NamingTheLimit()
    {
        var (tenant, _) = await platform.NewTenant("bigbody");
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);

        var (status, body) = await admin.PostJson($"api/v1/tenants/{tenant}/keys", new { label = new string('x', 2 * 1024 * 1024) }).Json();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit of 1048576 bytes", (string)body!["detail"]!);
    }

    [Fact]
    public async Task Finding1AViewersSpecIsRefusedBeforeItIsParsed()
    {
        var (tenant, _) = await platform.NewTenant("viewerbomb");
        var viewerKey = await PlatformFixture.NewKey(platform.Server, tenant, "Viewer");
        using var viewer = platform.Server.Client(viewerKey);

        // A parse would answer 400 (the depth limit); the role comes first, so it is 403.
        var (status, body) = await viewer.SubmitYaml(Brackets).Json();
        var (jsonStatus, _) = await viewer.Post("api/v1/experiments", new StringContent("{not json", Encoding.UTF8, "application/json")).Json();

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (status, jsonStatus));
        Assert.Equal("this needs the member role", (string)body!["detail"]!);
        await AssertNothingStored(viewer);
    }

    [Fact]
    public async Task EveryMutatingEndpointChecksTheRoleBeforeReadingTheBody()
    {
        var (tenant, key) = await platform.NewTenant("rolefirst");
        var viewerKey = await PlatformFixture.NewKey(platform.Server, tenant, "Viewer");
        var memberKey = await PlatformFixture.NewKey(platform.Server, tenant, "Member");
        using var owner = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await owner.SubmitYaml(Specs.Valid("target"))).StatusCode);
        using var viewer = platform.Server.Client(viewerKey);
        using var member = platform.Server.Client(memberKey);
        StringContent Broken() => new("{broken", Encoding.UTF8, "application/json");

        // Malformed bodies: a 400 would mean the body was read before the role was checked.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Post("api/v1/experiments/target/cancel", Broken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Post("api/v1/experiments/target/publish", Broken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Post("api/v1/experiments/target/unpublish", Broken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Post($"api/v1/experiments/target/runs/{Specs.RunNames[0]}/cancel", Broken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Post($"api/v1/tenants/{tenant}/keys", Broken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Delete($"api/v1/tenants/{tenant}/keys/{key.Split('_')[2]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.SendRequest(new HttpRequestMessage(HttpMethod.Put, $"api/v1/tenants/{tenant}") { Content = Broken() })).StatusCode);
        var experiment = await owner.Get("api/v1/experiments/target").Json();
        Assert.False((bool)experiment.Body!["cancelled"]!);
    }

    [Fact]
    public async Task Finding5DashesAndColonsAre400NotA500()
    {
        var (_, key) = await platform.NewTenant("dashes");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.SubmitYaml("- - - : : :").Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("malformed YAML", Message(body));
        await AssertNothingStored(client);
    }

    [Theory]
    [InlineData("{\"spec\": 5}", "spec", "expected a string")]
    [InlineData("{\"spec\": \"name: x\", \"priority\": \"high\"}", "priority", "expected an integer")]
    [InlineData("{\"spec\": \"name: x\", \"devicesPerRun\": [1]}", "devicesPerRun", "expected an integer")]
    [InlineData("{\"spec\": \"name: x\", \"colour\": 1}", "colour", "unknown field 'colour'")]
    public async Task Finding5AJsonSubmissionOfTheWrongTypeIs400AtItsField(string json, string path, string message)
    {
        var (_, key) = await platform.NewTenant("jsontypes");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.Post("api/v1/experiments", new StringContent(json, Encoding.UTF8, "application/json")).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(path, (string)body!["fieldErrors"]![0]!["path"]!);
        Assert.Contains(message, (string)body["fieldErrors"]![0]!["message"]!);
        await AssertNothingStored(client);
    }

    [Theory]
    [InlineData("{\"weight\": \"heavy\"}", "weight", "expected a number")]
    [InlineData("{\"maxConcurrentDevices\": 1.5}", "maxConcurrentDevices", "expected an integer")]
    [InlineData("{\"displayName\": {\"a\": 1}}", "displayName", "expected a string")]
    public async Task Finding5ATenantSettingOfTheWrongTypeIs400AtItsField(string json, string path, string message)
    {
        var (tenant, _) = await platform.NewTenant("settypes");
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);

        var (status, body) = await admin.SendRequest(new HttpRequestMessage(HttpMethod.Put, $"api/v1/tenants/{tenant}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(path, (string)body!["fieldErrors"]![0]!["path"]!);
        Assert.Contains(message, (string)body["fieldErrors"]![0]!["message"]!);
    }

    [Theory]
    [InlineData("devicesPerRun", 1_000_000, "must be between 1 and 64")]
    [InlineData("priority", int.MinValue, "must be between -1000 and 1000")]
    public async Task Finding6AnOutOfRangeSubmissionFieldIs400NamingItAndStoresNothing(string field, int value, string message)
    {
        var (_, key) = await platform.NewTenant("ranges");
        using var client = platform.Server.Client(key);
        var request = new JsonObject { ["spec"] = Specs.Valid("ranged"), [field] = value };

        var (status, body) = await client.Post("api/v1/experiments", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, (string)body!["fieldErrors"]![0]!["path"]!);
        Assert.StartsWith(message, (string)body["fieldErrors"]![0]!["message"]!);
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task Finding6AHundredKilobyteKeyLabelIs400NotAStorage500()
    {
        var (tenant, key) = await platform.NewTenant("labels");
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);

        var (status, body) = await admin.PostJson($"api/v1/tenants/{tenant}/keys", new { label = new string('l', 100 * 1024), role = "Viewer" }).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("label", (string)body!["fieldErrors"]![0]!["path"]!);
        Assert.Equal("must be at most 200 characters, got 102400", (string)body["fieldErrors"]![0]!["message"]!);
        var keys = (await admin.Get($"api/v1/tenants/{tenant}").Json()).Body!["apiKeys"]!.AsArray();
        Assert.Equal(key.Split('_')[2], (string)Assert.Single(keys)!["keyId"]!);
    }

    [Fact]
    public async Task Finding6OutOfRangeTenantSettingsAndCancelReasonsAre400NamingTheField()
    {
        var (tenant, key) = await platform.NewTenant("bounds");
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);
        using var client = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid("keep"))).StatusCode);

        var name = await admin.PutJson($"api/v1/tenants/{tenant}", new { displayName = new string('n', 100 * 1024) }).Json();
        var devices = await admin.PutJson($"api/v1/tenants/{tenant}", new { maxConcurrentDevices = -1 }).Json();
        var budget = await admin.PutJson($"api/v1/tenants/{tenant}", new { deviceHoursBudget = 1e300 }).Json();
        var weight = await admin.PutJson($"api/v1/tenants/{tenant}", new { weight = 1e300 }).Json();
        var reason = await client.PostJson("api/v1/experiments/keep/cancel", new { reason = new string('r', 100 * 1024) }).Json();

        Assert.Equal(
            [(HttpStatusCode.BadRequest, "displayName"), (HttpStatusCode.BadRequest, "maxConcurrentDevices"), (HttpStatusCode.BadRequest, "deviceHoursBudget"), (HttpStatusCode.BadRequest, "weight"), (HttpStatusCode.BadRequest, "reason")],
            new[] { name, devices, budget, weight, reason }.Select(r => (r.Status, (string)r.Body!["fieldErrors"]![0]!["path"]!)));
        Assert.False((bool)(await client.Get("api/v1/experiments/keep").Json()).Body!["cancelled"]!);
        Assert.Equal("bounds", (string)(await admin.Get($"api/v1/tenants/{tenant}").Json()).Body!["settings"]!["displayName"]!);
    }

    [Fact]
    public async Task AnIdLongerThanAnyRealOneIs404BeforeItReachesStorage()
    {
        var (_, key) = await platform.NewTenant("longid");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.Get($"api/v1/experiments/{new string('e', 4_000)}/runs/{new string('r', 2_000)}").Json();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("ids have at most 128 characters", (string)body!["detail"]!);
    }

    private static (string Path, string Message) FirstError(JsonNode? body) =>
        ((string)body!["fieldErrors"]![0]!["path"]!, (string)body["fieldErrors"]![0]!["message"]!);

    private static string Message(JsonNode? body) =>
        string.Join("\n", body!["fieldErrors"]!.AsArray().Select(e => (string)e!["message"]!));

    private static async Task AssertNothingStored(HttpClient client)
    {
        var (status, list) = await client.Get("api/v1/experiments").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(list!.AsArray(), e => (string)e!["experimentId"]! is not ("target" or "keep"));
    }
}
