using System.Net;
using System.Net.Http.Json;
using System.Text;
using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Tenant isolation over HTTP: every endpoint, called with another tenant's key on this tenant's
/// resources, answers 404 (403 where only the platform admin may act), exactly as for a resource
/// that does not exist, and never returns or changes the owner's data.
/// </summary>
public sealed class IsolationTests(PlatformFixture platform)
{
    private const string Experiment = "secret-plan";

    public static TheoryData<string, string> TenantEndpoints => new()
    {
        { "GET", $"api/v1/experiments/{Experiment}" },
        { "GET", $"api/v1/experiments/{Experiment}/runs" },
        { "GET", $"api/v1/experiments/{Experiment}/runs/{Specs.RunNames[0]}" },
        { "POST", $"api/v1/experiments/{Experiment}/runs/{Specs.RunNames[0]}/cancel" },
        { "GET", $"api/v1/experiments/{Experiment}/runs/{Specs.RunNames[0]}/checkpoints" },
        { "GET", $"api/v1/experiments/{Experiment}/runs/{Specs.RunNames[0]}/checkpoints/25/report" },
        { "GET", $"api/v1/experiments/{Experiment}/runs/{Specs.RunNames[1]}/checkpoints/25/adapter" },
        { "GET", $"api/v1/compare?runs={Experiment}/{Specs.RunNames[0]},{Experiment}/{Specs.RunNames[1]}" },
        { "GET", $"api/v1/compare?runs={{owner}}/{Experiment}/{Specs.RunNames[0]},{{owner}}/{Experiment}/{Specs.RunNames[1]}" },
        { "POST", $"api/v1/experiments/{Experiment}/cancel" },
        { "POST", $"api/v1/experiments/{Experiment}/publish" },
        { "POST", $"api/v1/experiments/{Experiment}/unpublish" },
        { "GET", $"api/v1/experiments/{Experiment}/baseline" },
        { "GET", "api/v1/models/secret-model" },
        { "GET", "api/v1/models/secret-adapter" },
        { "GET", "api/v1/datasets/secret-data" },
        { "DELETE", "api/v1/datasets/secret-data" },
        { "GET", "api/v1/tenants/{owner}" },
        { "GET", "api/v1/tenants/{owner}/usage" },
        { "POST", "api/v1/tenants/{owner}/keys" },
        { "DELETE", "api/v1/tenants/{owner}/keys/{keyId}" },
    };

    [Theory]
    [MemberData(nameof(TenantEndpoints))]
    public async Task AnotherTenantsKeyGets404AndNoData(string method, string path)
    {
        var (owner, ownerKey, keyId) = await OwnerWithExperiment();
        var (_, intruderKey) = await platform.NewTenant("intruder", "TenantAdmin");
        using var intruder = platform.Server.Client(intruderKey);
        using var missingTenant = platform.Server.Client(intruderKey);

        var (status, body) = await Send(intruder, method, path.Replace("{owner}", owner).Replace("{keyId}", keyId)).Text();
        // The same call on a resource that does not exist anywhere, for comparison.
        var (missingStatus, _) = await Send(missingTenant, method, path.Replace(Experiment, "no-such-experiment")
            .Replace("{owner}", "no-such-tenant").Replace("{keyId}", "000000000000")).Text();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(missingStatus, status);
        Assert.DoesNotContain(owner, body.Replace($"tenant '{owner}' not found", ""));
        Assert.DoesNotContain("conflicting_facts", body);
        await AssertUntouched(ownerKey, owner);
    }

    /// <summary>Ids no grain key can hold never reach a grain: the key builders refuse them and the answer is the missing resource's.</summary>
    [Theory]
    [InlineData("api/v1/experiments/SECRET-PLAN")]
    [InlineData("api/v1/experiments/.secret-plan/runs")]
    [InlineData("api/v1/experiments/{owner}%2Fsecret-plan/baseline")]
    [InlineData("api/v1/experiments/secret-plan/runs/..%2F..%2F{owner}")]
    [InlineData("api/v1/experiments/secret-plan/runs/%20/checkpoints")]
    [InlineData("api/v1/tenants/_shared")]
    public async Task AnIdThatCannotBeAGrainKeyIs404AsForAResourceThatDoesNotExist(string path)
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        using var client = platform.Server.Client(ownerKey);

        var (status, body) = await client.Get(path.Replace("{owner}", owner)).Json();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.EndsWith(" not found", (string)body!["detail"]!, StringComparison.Ordinal);
        await AssertUntouched(ownerKey, owner);
    }

    [Fact]
    public async Task AnotherTenantsListIsEmptyAndItsSubmissionUnderTheSameNameIsItsOwn()
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        var (other, otherKey) = await platform.NewTenant("other");
        using var client = platform.Server.Client(otherKey);

        var before = await client.Get("api/v1/experiments").Json();
        var submitted = await client.SubmitYaml(Specs.Valid(Experiment)).Json();
        await client.Post($"api/v1/experiments/{Experiment}/cancel");

        Assert.Empty(before.Body!.AsArray());
        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        Assert.Equal(other, (string)submitted.Body!["tenantId"]!);
        await AssertUntouched(ownerKey, owner);
    }

    [Fact]
    public async Task UsageIsTheCallersOwnTenantsQuotaAndNothingElse()
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        using var client = platform.Server.Client(ownerKey);

        var (status, usage) = await client.Get("api/v1/usage").Json();
        var (byIdStatus, byId) = await client.Get($"api/v1/tenants/{owner}/usage").Json();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, byIdStatus));
        Assert.Equal(owner, (string)usage!["tenantId"]!);
        Assert.Equal(2, (int)usage["maxConcurrentDevices"]!); // as PlatformFixture.NewTenant configures it
        Assert.Equal(0, (int)usage["devicesInUse"]!); // no worker serves this fixture's server
        Assert.Equal(Specs.RunNames.Length, (int)usage["runsQueued"]!);
        Assert.Null(usage["deviceHoursBudget"]);
        Assert.Equal(usage.ToJsonString(), byId!.ToJsonString());
    }

    [Fact]
    public async Task ATenantKeyCannotConfigureTenants()
    {
        var (owner, _, _) = await OwnerWithExperiment();
        var (_, adminOfOther) = await platform.NewTenant("other", "TenantAdmin");
        using var client = platform.Server.Client(adminOfOther);

        var (status, _) = await client.PutJson($"api/v1/tenants/{owner}", new { displayName = "mine now", weight = 100 }).Json();
        var (ownStatus, _) = await client.PutJson($"api/v1/tenants/{owner}-new", new { displayName = "new" }).Json();

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, ownStatus);
    }

    [Fact]
    public async Task RequestsWithoutAValidKeyAre401()
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        var forged = ownerKey[..^4] + "AAAA";
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);
        var revokedKey = await PlatformFixture.NewKey(platform.Server, owner, "Viewer");
        await admin.Delete($"api/v1/tenants/{owner}/keys/{revokedKey.Split('_')[2]}");

        foreach (var key in new[] { null, "", "not-a-key", forged, "flk_no-such-tenant_abc_def", "flk_BAD TENANT_a_b", revokedKey })
        {
            using var client = platform.Server.Client();
            var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/experiments/{Experiment}");
            if (key is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
            var (status, body) = await client.SendRequest(request).Json();

            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("Unauthorized", (string)body!["title"]!);
        }

        using var basic = platform.Server.Client();
        basic.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.Get("api/v1/experiments")).StatusCode);
    }

    [Fact]
    public async Task RolesLimitWhatAKeyMayDo()
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        var viewerKey = await PlatformFixture.NewKey(platform.Server, owner, "Viewer");
        var memberKey = await PlatformFixture.NewKey(platform.Server, owner, "Member");
        using var viewer = platform.Server.Client(viewerKey);
        using var member = platform.Server.Client(memberKey);
        using var admin = platform.Server.Client(PlatformFixture.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await viewer.Get($"api/v1/experiments/{Experiment}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Post($"api/v1/experiments/{Experiment}/cancel")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SubmitYaml(Specs.Valid("viewer-made"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostJson($"api/v1/tenants/{owner}/keys", new { role = "Viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostJson($"api/v1/tenants/{owner}/keys", new { role = "PlatformAdmin" })).StatusCode);
        // The platform admin key manages tenants, not their experiments.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Get($"api/v1/experiments/{Experiment}")).StatusCode);
        await AssertUntouched(ownerKey, owner);
    }

    private async Task<(string Tenant, string Key, string KeyId)> OwnerWithExperiment()
    {
        var (owner, key) = await platform.NewTenant("owner", "TenantAdmin");
        using var client = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid(Experiment))).StatusCode);
        var model = await client.PostAsync("api/v1/models?name=secret-model", ModelFolders.ZipContent(ModelFolders.Zip()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, model.StatusCode);
        var llama = await client.PostAsync("api/v1/models?name=secret-llama", ModelFolders.ZipContent(HostileUploads.Zip(TinyHfFolders.Llama(wordVocab: true).Select(f => (f.Key, f.Value)), null)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, llama.StatusCode);
        var adapter = await client.PostAsync("api/v1/models?name=secret-adapter&base=secret-llama",
            ModelFolders.ZipContent(HostileUploads.Zip(TinyLoraAdapters.Lora(2, "self_attn.q_proj").Select(f => (f.Key, f.Value)), null)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, adapter.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonl("secret-data", "secret.jsonl", Datasets.PromptCompletion(4))).StatusCode);
        return (owner, key, key.Split('_')[2]);
    }

    private async Task AssertUntouched(string ownerKey, string owner)
    {
        using var client = platform.Server.Client(ownerKey);
        var experiment = await client.Get($"api/v1/experiments/{Experiment}").Json();
        var runs = await client.Get($"api/v1/experiments/{Experiment}/runs").Json();
        var tenant = await client.Get($"api/v1/tenants/{owner}").Json();

        Assert.Equal(HttpStatusCode.OK, experiment.Status);
        Assert.Equal(owner, (string)experiment.Body!["tenantId"]!);
        Assert.False((bool)experiment.Body["cancelled"]!);
        Assert.False((bool)experiment.Body["published"]!);
        Assert.All(runs.Body!.AsArray(), r => Assert.Equal("Queued", (string)r!["state"]!));
        Assert.Equal(HttpStatusCode.OK, tenant.Status);
        var keys = tenant.Body!["apiKeys"]!.AsArray();
        Assert.False((bool)keys.Single(k => (string)k!["keyId"]! == ownerKey.Split('_')[2])!["revoked"]!);
        Assert.DoesNotContain(keys, k => (string)k!["label"]! == "stolen");
        var dataset = await client.Get("api/v1/datasets/secret-data").Json();
        Assert.Equal(HttpStatusCode.OK, dataset.Status);
        Assert.Equal(4, (int)dataset.Body!["files"]![0]!["examples"]!);
    }

    [Fact]
    public async Task AnotherTenantSeesNoDataSetsAndCannotTrainOnOnesByName()
    {
        var (owner, ownerKey, _) = await OwnerWithExperiment();
        var (other, otherKey) = await platform.NewTenant("other");
        using var client = platform.Server.Client(otherKey);

        var list = await client.Get("api/v1/datasets").Json();
        var (refStatus, refused) = await client.SubmitYaml(Datasets.SpecOn("borrowed-data", "{ data_ref: secret-data }")).Json();
        var (ownStatus, own) = await client.PostJsonl("secret-data", "mine.jsonl", Datasets.Text(2)).Json();

        Assert.Empty(list.Body!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, refStatus); // named like a data set that does not exist
        Assert.Equal("line 8: no data set 'secret-data' in this tenant's registry (GET /api/v1/datasets, forgetlab datasets list)",
            (string)refused!["errors"]!["target.data.data_ref"]![0]!);
        Assert.Empty((await client.Get("api/v1/experiments").Json()).Body!.AsArray());
        Assert.Equal(HttpStatusCode.Created, ownStatus); // the same name in another tenant is that tenant's own
        Assert.Contains($"checkpoints/{other}/datasets/secret-data/", (string)own!["blobPrefix"]!);
        await AssertUntouched(ownerKey, owner);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path) => method switch
    {
        "GET" => client.Get(path),
        "DELETE" => client.Delete(path),
        _ => client.Post(path, path.EndsWith("/keys", StringComparison.Ordinal)
            ? new StringContent("""{"label":"stolen","role":"Member"}""", Encoding.UTF8, "application/json")
            : null),
    };
}
