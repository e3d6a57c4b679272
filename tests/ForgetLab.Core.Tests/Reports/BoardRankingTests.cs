using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class BoardRankingTests
{
    private static RunReport Run(string name, double gain, double forgetting, bool evaluated = true) =>
        new(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Mild, gain, forgetting, false, [],
            evaluated ? [new CheckpointReport(10, 1.0, [])] : []);

    private static BoardEntry Entry(string tenant, string experiment, string hash, string[] suites, params RunReport[] runs) =>
        new(tenant, experiment, $"{experiment} of {tenant}", suites, new ForgettingReport(experiment, DateTimeOffset.UnixEpoch, new BaseModelReport($"model-{hash}", hash, []), runs, []));

    [Fact]
    public void ExperimentsAreComparedOnlyOnTheSameBaseAndTheSameSuiteSet()
    {
        var board = BoardRanking.Rank(
        [
            Entry("acme", "one", "h1", ["target", "capitals"], Run("r", 1, 1)),
            Entry("globex", "two", "h1", ["capitals", "target"], Run("r", 2, 2)), // the same set in another order
            Entry("initech", "three", "h1", ["target"], Run("r", 3, 3)),
            Entry("umbrella", "four", "h2", ["target", "capitals"], Run("r", 4, 4)),
        ]);

        Assert.Equal(3, board.Groups.Length);
        var shared = board.Groups[0];
        Assert.Equal(("h1", "model-h1"), (shared.BaseModelHash, shared.BaseModel));
        Assert.Equal(["capitals", "target"], shared.Suites);
        Assert.Equal(["acme", "globex"], shared.Experiments.Select(e => e.TenantId));
        Assert.Equal(["h1", "h2"], board.Groups.Skip(1).Select(g => g.BaseModelHash)); // equal sizes: by hash
    }

    [Fact]
    public void RunsAcrossTenantsRankTheJointFrontierFirstThenByForgettingMinusGain()
    {
        var board = BoardRanking.Rank(
        [
            Entry("acme", "one", "h", ["target"], Run("careful", 10, 0), Run("sloppy", 5, 30)),
            Entry("globex", "two", "h", ["target"], Run("bold", 50, 20), Run("middling", 20, 25), Run("unevaluated", 0, 0, evaluated: false)),
        ]);

        var runs = Assert.Single(board.Groups).Runs;
        Assert.Equal(
            [(1, "globex", "bold", true), (2, "acme", "careful", true), (3, "globex", "middling", false), (4, "acme", "sloppy", false)],
            runs.Select(r => (r.Rank, r.TenantId, r.RunId, r.Frontier)));
        Assert.Equal([2, 3], Assert.Single(board.Groups).Experiments.Select(e => e.ReportedRuns));
    }

    [Fact]
    public void EqualScoresRankByTenantExperimentAndRunSoTheBoardIsTheSameEveryTime()
    {
        var board = BoardRanking.Rank(
        [
            Entry("zeta", "a", "h", ["target"], Run("r", 10, 5)),
            Entry("alpha", "b", "h", ["target"], Run("r", 10, 5)),
        ]);

        Assert.Equal(["alpha", "zeta"], Assert.Single(board.Groups).Runs.Select(r => r.TenantId));
        Assert.All(board.Groups[0].Runs, r => Assert.True(r.Frontier));
    }

    [Fact]
    public void AGroupWithMoreRunsComesFirst()
    {
        var board = BoardRanking.Rank(
        [
            Entry("acme", "small", "a-hash", ["target"], Run("r", 1, 1)),
            Entry("acme", "big", "z-hash", ["target"], Run("r1", 1, 1), Run("r2", 2, 2)),
        ]);

        Assert.Equal(["z-hash", "a-hash"], board.Groups.Select(g => g.BaseModelHash));
    }
}
