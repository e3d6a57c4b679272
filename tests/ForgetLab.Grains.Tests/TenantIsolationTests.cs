using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>Another tenant's resources answer exactly as missing ones do, and stay untouched.</summary>
[Collection(GrainsCollection.Name)]
public sealed class TenantIsolationTests(GrainsCluster cluster)
{
    [Fact]
    public async Task TenantBCannotReadOrCancelTenantAsExperimentOrRun()
    {
        var a = Callers.NewTenant("a");
        var b = Callers.NewTenant("b");
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(a, "secret"));
        await experiment.Submit(Callers.Member(a), new ExperimentSubmission(Specs.Valid("secret")));
        var run = cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(a, "secret", Specs.RunName(1)));
        var intruder = Callers.Admin(b);

        var replies = new[]
        {
            (await experiment.Get(intruder)).Status,
            (await experiment.ListRuns(intruder)).Status,
            (await experiment.Cancel(intruder, "mine now")).Status,
            (await experiment.SetPublished(intruder, true)).Status,
            (await experiment.Submit(intruder, new ExperimentSubmission(Specs.Valid("secret")))).Status,
            (await run.Get(intruder)).Status,
            (await run.Cancel(intruder, "mine now")).Status,
        };

        Assert.All(replies, status => Assert.Equal(ReplyStatus.NotFound, status));
        var missing = await cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(b, "secret")).Get(intruder);
        Assert.Equal(missing.Error, (await experiment.Get(intruder)).Error?.Replace(a, b));
        Assert.Equal(RunState.Queued, (await run.Get(Callers.Viewer(a))).Value!.State);
        Assert.False((await experiment.Get(Callers.Viewer(a))).Value!.Published);
    }

    [Fact]
    public async Task APlatformAdminOfAnotherTenantStillCannotReadItsRuns()
    {
        var a = Callers.NewTenant("a");
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(a, "private"));
        await experiment.Submit(Callers.Member(a), new ExperimentSubmission(Specs.Valid("private")));

        Assert.Equal(ReplyStatus.NotFound, (await experiment.Get(Callers.Platform)).Status);
    }

    [Fact]
    public async Task TenantBCannotSeeTenantAsProfileOrKeys()
    {
        var a = Callers.NewTenant("a");
        var b = Callers.NewTenant("b");
        var tenant = cluster.Client.GetGrain<ITenantGrain>(a);
        await tenant.Configure(Callers.Platform, new TenantSettings("Team A", 1, 4, null));

        Assert.Equal(ReplyStatus.NotFound, (await tenant.Get(Callers.Admin(b))).Status);
        Assert.Equal(ReplyStatus.NotFound, (await tenant.CreateApiKey(Callers.Admin(b), "sneaky", TenantRole.Viewer)).Status);
        Assert.Equal(ReplyStatus.NotFound, (await tenant.Configure(Callers.Admin(b), new TenantSettings("Mine", 9, 99, null))).Status);
        Assert.Equal(1, (await tenant.Get(Callers.Viewer(a))).Value!.Settings.Weight);
    }
}
