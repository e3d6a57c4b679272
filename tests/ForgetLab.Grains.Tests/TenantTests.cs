using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Tenants;

namespace ForgetLab.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class TenantTests(GrainsCluster cluster)
{
    [Fact]
    public async Task AnApiKeySecretIsShownOnceStoredHashedAndVerifiesToItsRole()
    {
        var id = Callers.NewTenant("keys");
        var tenant = cluster.Client.GetGrain<ITenantGrain>(id);
        await tenant.Configure(Callers.Platform, new TenantSettings("Keys", 1, 8, 100));

        var issued = (await tenant.CreateApiKey(Callers.Admin(id), "ci", TenantRole.Member)).Value!;
        var listed = (await tenant.Get(Callers.Admin(id))).Value!.ApiKeys;

        Assert.StartsWith($"flk_{id}_", issued.Secret);
        Assert.Equal(issued.Key, Assert.Single(listed));
        Assert.DoesNotContain(issued.Secret, listed.ToString());
        Assert.Equal(new Caller(id, TenantRole.Member, $"key:{issued.Key.KeyId}"), await tenant.VerifyApiKey(issued.Secret));
        Assert.Null(await tenant.VerifyApiKey(issued.Secret + "x"));
        Assert.Null(await tenant.VerifyApiKey(issued.Secret.Replace($"flk_{id}_", "flk_other_")));
        Assert.Empty((await tenant.Get(Callers.Viewer(id))).Value!.ApiKeys);

        await tenant.RevokeApiKey(Callers.Admin(id), issued.Key.KeyId);
        Assert.Null(await tenant.VerifyApiKey(issued.Secret));
    }

    [Fact]
    public void TheStoredHashIsTheSha256OfTheSecret()
    {
        var (_, secret) = ApiKeySecrets.Create("t1");

        Assert.Equal(64, ApiKeySecrets.Hash(secret).Length);
        Assert.True(ApiKeySecrets.Matches(secret, ApiKeySecrets.Hash(secret)));
        Assert.False(ApiKeySecrets.Matches(secret, ApiKeySecrets.Hash(secret + "!")));
        Assert.True(ApiKeySecrets.TryParse(secret, out var tenant, out _));
        Assert.Equal("t1", tenant);
    }

    [Fact]
    public async Task RolesLimitWhoConfiguresAndWhichKeysTheyMayIssue()
    {
        var id = Callers.NewTenant("roles");
        var tenant = cluster.Client.GetGrain<ITenantGrain>(id);

        Assert.Equal(ReplyStatus.NotFound, (await tenant.Configure(Callers.Admin(id), new TenantSettings("Roles", 1, 1, null))).Status);
        Assert.Equal(ReplyStatus.Ok, (await tenant.Configure(Callers.Platform, new TenantSettings("Roles", 2, 4, null))).Status);
        Assert.Equal(ReplyStatus.Forbidden, (await tenant.Configure(Callers.Admin(id), new TenantSettings("Roles", 9, 9, null))).Status);
        Assert.Equal(ReplyStatus.Forbidden, (await tenant.CreateApiKey(Callers.Admin(id), "root", TenantRole.PlatformAdmin)).Status);
        Assert.Equal(ReplyStatus.Forbidden, (await tenant.CreateApiKey(Callers.Member(id), "mine", TenantRole.Viewer)).Status);
        Assert.Equal(ReplyStatus.Ok, (await tenant.SetMember(Callers.Admin(id), new TenantMember("ada", TenantRole.Member))).Status);

        var invalid = await tenant.Configure(Callers.Platform, new TenantSettings("", 0, -1, double.NaN));
        Assert.Equal(ReplyStatus.Invalid, invalid.Status);
        Assert.Equal(["displayName", "weight", "maxConcurrentDevices", "deviceHoursBudget"], invalid.Errors.Select(e => e.Path));
        Assert.Equal(2, (await tenant.Get(Callers.Viewer(id))).Value!.Settings.Weight);
    }
}
