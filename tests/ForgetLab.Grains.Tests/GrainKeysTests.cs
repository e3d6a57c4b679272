using ForgetLab.Contracts.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// The grain-key builders (Contracts): a valid id gives exactly the key state was stored under
/// before the builders validated, and an id that is not one is refused by the builder itself, so no
/// call site can forget to sanitise it.
/// </summary>
public class GrainKeysTests
{
    [Fact]
    public void ValidIdsGiveTheKeysExistingStateIsStoredUnder()
    {
        Assert.Equal("pool", GrainKeys.Pool);
        Assert.Equal("acme", GrainKeys.Tenant("acme"));
        Assert.Equal("acme/forgetting", GrainKeys.Experiment("acme", "forgetting"));
        Assert.Equal("acme/forgetting/full-lr1e-4-steps50-seed1", GrainKeys.Run("acme", "forgetting", "full-lr1e-4-steps50-seed1"));
        Assert.Equal("acme-2/v1.2_x/wide-lora-r8-lr2.5e-4-steps100-seed3-replay0.25-ewc1e2", GrainKeys.Run("acme-2", "v1.2_x", "wide-lora-r8-lr2.5e-4-steps100-seed3-replay0.25-ewc1e2"));
        Assert.Equal("_shared/0123456789abcdef", GrainKeys.Baseline(null, "0123456789abcdef"));
        Assert.Equal("acme/0123456789abcdef-small", GrainKeys.Baseline("acme", "0123456789abcdef-small"));
    }

    [Fact]
    public void TheLongestIdsAnySpecCanNameAreStillKeys()
    {
        var name = "a" + new string('z', GrainKeys.MaxExperimentIdChars - 1);
        var run = "r" + new string('9', GrainKeys.MaxRunIdChars - 1);

        Assert.Equal($"t/{name}/{run}", GrainKeys.Run("t", name, run));
        Assert.Equal(new string('t', 63), GrainKeys.Tenant(new string('t', 63)));
    }

    [Theory]
    [InlineData("mine/../theirs")]
    [InlineData("other-tenant/secret")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("Secret")]
    [InlineData("secret\n")]
    [InlineData(" secret")]
    [InlineData("secret\0")]
    [InlineData("secret%2Fx")]
    public void AnExperimentIdThatIsNotOneIsRefusedByTheBuilder(string experimentId)
    {
        var refused = Assert.Throws<ArgumentException>(() => GrainKeys.Experiment("acme", experimentId));
        Assert.StartsWith("experiment id ", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GrainKeys.Run("acme", experimentId, "run"));
    }

    [Theory]
    [InlineData("acme/forgetting")]
    [InlineData("")]
    [InlineData("_shared")]
    [InlineData("_platform")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("acme\n")]
    public void ATenantIdThatIsNotOneIsRefusedByEveryBuilder(string tenantId)
    {
        Assert.Throws<ArgumentException>(() => GrainKeys.Tenant(tenantId));
        Assert.Throws<ArgumentException>(() => GrainKeys.Experiment(tenantId, "forgetting"));
        Assert.Throws<ArgumentException>(() => GrainKeys.Run(tenantId, "forgetting", "run"));
        Assert.Throws<ArgumentException>(() => GrainKeys.Baseline(tenantId, "0123456789abcdef"));
        Assert.False(GrainKeys.IsTenantId(tenantId));
    }

    [Theory]
    [InlineData("run/../../other/exp/run")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("run name")]
    public void ARunIdThatIsNotOneIsRefused(string runId) =>
        Assert.StartsWith("run id ", Assert.Throws<ArgumentException>(() => GrainKeys.Run("acme", "forgetting", runId)).Message, StringComparison.Ordinal);

    [Fact]
    public void AnOverLongIdIsRefusedAndTheRefusalDoesNotEchoItWhole()
    {
        var tooLong = new string('e', 4_000);

        var experiment = Assert.Throws<ArgumentException>(() => GrainKeys.Experiment("acme", tooLong));
        Assert.Throws<ArgumentException>(() => GrainKeys.Experiment("acme", new string('e', GrainKeys.MaxExperimentIdChars + 1)));
        Assert.Throws<ArgumentException>(() => GrainKeys.Run("acme", "forgetting", new string('r', GrainKeys.MaxRunIdChars + 1)));
        Assert.Throws<ArgumentException>(() => GrainKeys.Tenant(new string('t', 64)));
        Assert.Throws<ArgumentException>(() => GrainKeys.Baseline(null, new string('h', GrainKeys.MaxModelHashChars + 1)));

        Assert.Contains("(4000 characters)", experiment.Message);
        Assert.DoesNotContain(tooLong, experiment.Message);
    }

    [Theory]
    [InlineData("0123/456789abcdef")]
    [InlineData("")]
    [InlineData("../secrets")]
    public void AModelHashThatIsNotOneIsRefusedSoABaselineKeyCannotReachAnotherScope(string hash)
    {
        Assert.Throws<ArgumentException>(() => GrainKeys.Baseline(null, hash));
        Assert.Throws<ArgumentException>(() => GrainKeys.Baseline("acme", hash));
    }

    [Fact]
    public void ARunKeySplitsBackIntoItsPartsAndItsExperimentsKey()
    {
        var key = GrainKeys.Run("acme", "forgetting", "full-lr1e-4-steps50-seed1");

        Assert.True(GrainKeys.TrySplitRun(key, out var tenant, out var experiment, out var run));
        Assert.Equal(("acme", "forgetting", "full-lr1e-4-steps50-seed1"), (tenant, experiment, run));
        Assert.Equal("acme/forgetting", GrainKeys.ExperimentOf(key));
        Assert.Equal("acme", GrainKeys.TenantOf(key));
        Assert.Throws<ArgumentException>(() => GrainKeys.ExperimentOf("acme/forgetting"));
    }
}
