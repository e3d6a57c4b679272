using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>A tenant's model registry: its own callers only, names that always mean the same files, specs that name it.</summary>
[Collection(GrainsCollection.Name)]
public sealed class ModelRegistryTests(GrainsCluster cluster)
{
    private static ModelRecord Model(string tenant, string name, string sha = "aa") => new(
        name,
        new ModelArchitecture("gpt2", 512, 32, 32, 1, 2, 50_000),
        [new ModelFile("config.json", 120, sha), new ModelFile("model.safetensors", 200_000, "bb"), new ModelFile("vocab.json", 900, "cc")],
        $"checkpoints/{tenant}/models/{name}/",
        "upload",
        DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task AMemberRegistersAModelItsTenantListsAndAnotherTenantCannotSee()
    {
        var (tenant, other) = (Callers.NewTenant("models"), Callers.NewTenant("nosy"));
        var registry = cluster.Client.GetGrain<IModelRegistryGrain>(tenant);

        var registered = await registry.Register(Callers.Member(tenant), Model(tenant, "base-v1"));
        var again = await registry.Register(Callers.Member(tenant), Model(tenant, "base-v1"));
        var changed = await registry.Register(Callers.Member(tenant), Model(tenant, "base-v1", sha: "ff"));

        Assert.Equal((ReplyStatus.Ok, ReplyStatus.Ok, ReplyStatus.Conflict), (registered.Status, again.Status, changed.Status));
        Assert.Equal(["base-v1"], (await registry.List(Callers.Viewer(tenant))).Value!.Select(m => m.Name));
        Assert.Equal("aa", (await registry.Get(Callers.Viewer(tenant), "base-v1")).Value!.Files[0].Sha256);
        Assert.Equal(ReplyStatus.NotFound, (await registry.Get(Callers.Admin(other), "base-v1")).Status);
        Assert.Equal(ReplyStatus.NotFound, (await registry.List(Callers.Admin(other))).Status);
        Assert.Equal(ReplyStatus.NotFound, (await registry.Register(Callers.Admin(other), Model(tenant, "planted"))).Status);
        Assert.Equal(ReplyStatus.Forbidden, (await registry.Register(Callers.Viewer(tenant), Model(tenant, "viewer-made"))).Status);
        Assert.Equal("name", Assert.Single((await registry.Register(Callers.Member(tenant), Model(tenant, "Bad Name"))).Errors).Path);
    }

    [Fact]
    public async Task ASpecNamingAnUnknownModelIsRefusedAtBaseModelRefAndAKnownOneIsQueued()
    {
        var tenant = Callers.NewTenant("model-ref");
        await cluster.Client.GetGrain<IModelRegistryGrain>(tenant).Register(Callers.Member(tenant), Model(tenant, "mine"));
        static string Spec(string name, string model) => Specs.Valid(name).Replace(
            Specs.Valid(name)[Specs.Valid(name).IndexOf("base:", StringComparison.Ordinal)..Specs.Valid(name).IndexOf("target:", StringComparison.Ordinal)],
            $"base:\n  model_ref: {model}\n");

        var unknown = await cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "unknown"))
            .Submit(Callers.Member(tenant), new ExperimentSubmission(Spec("unknown", "theirs")));
        var known = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "known"));
        var accepted = await known.Submit(Callers.Member(tenant), new ExperimentSubmission(Spec("known", "mine")));

        Assert.Equal(ReplyStatus.Invalid, unknown.Status);
        var error = Assert.Single(unknown.Errors);
        Assert.Equal("base.model_ref", error.Path);
        Assert.Contains("no model 'theirs' in this tenant's registry", error.Message);
        Assert.Equal(ReplyStatus.Ok, accepted.Status);
        await known.Cancel(Callers.Member(tenant), "test over");
    }
}
