using System.Security.Claims;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Tests;

/// <summary>In-memory dashboard data for one tenant ("demo"): experiments by id; validation with the real spec loader; counts calls.</summary>
public sealed class FakeDashboardData : IDashboardData
{
    public Dictionary<string, ExperimentData> Experiments { get; } = [];

    public List<string> Submitted { get; } = [];

    public int ExperimentCalls { get; private set; }

    public Caller CallerOf(ClaimsPrincipal user) => new("demo", TenantRole.Member, "test");

    public Task<OverviewData> Overview(ClaimsPrincipal user, CancellationToken cancel) =>
        Task.FromResult(new OverviewData("demo", "Demo", [.. Experiments.Values.Select(e => new ExperimentRow(e.Experiment, e.Runs))], [], null));

    public Task<ExperimentData?> Experiment(ClaimsPrincipal user, string experimentId, CancellationToken cancel)
    {
        ExperimentCalls++;
        return Task.FromResult(Experiments.GetValueOrDefault(experimentId));
    }

    /// <summary>Runs by "experiment/run".</summary>
    public Dictionary<string, RunData> Runs { get; } = [];

    public Task<RunData?> Run(ClaimsPrincipal user, string experimentId, string runId, CancellationToken cancel) =>
        Task.FromResult(Runs.GetValueOrDefault($"{experimentId}/{runId}"));

    public Task<IReadOnlyList<ItemChange>?> ItemChanges(ClaimsPrincipal user, string experimentId, string runId, long step, string suite, CancellationToken cancel) =>
        Task.FromResult<IReadOnlyList<ItemChange>?>([]);

    public Task<IReadOnlyList<ComparableRun>> ComparableRuns(ClaimsPrincipal user, CancellationToken cancel) => Task.FromResult<IReadOnlyList<ComparableRun>>([]);

    public Task<Outcome<ComparisonView>> Compare(ClaimsPrincipal user, IReadOnlyList<string> runRefs, CancellationToken cancel) =>
        Task.FromResult(Outcome<ComparisonView>.Failed("not in this fake"));

    public Task<BoardView> Board(ClaimsPrincipal user, CancellationToken cancel) => Task.FromResult(new BoardView([]));

    /// <summary>What the pool page sees; null as for a caller who is not a platform admin.</summary>
    public PoolSnapshot? PoolSnapshot { get; set; }

    public Task<PoolSnapshot?> Pool(ClaimsPrincipal user, CancellationToken cancel) => Task.FromResult(PoolSnapshot);

    public IReadOnlyList<FieldError> Validate(string specYaml)
    {
        try
        {
            SpecLoader.Parse(specYaml, "spec.yaml", Path.Combine(Path.GetTempPath(), "forgetlab-no-spec-files"));
            return [];
        }
        catch (SpecValidationException e)
        {
            return [.. e.Errors.Select(x => new FieldError(x.Line, x.Path, x.Message))];
        }
    }

    public Task<Outcome<string>> Submit(ClaimsPrincipal user, string specYaml, CancellationToken cancel)
    {
        var errors = Validate(specYaml);
        if (errors.Count > 0) return Task.FromResult(Outcome<string>.Failed("invalid", errors));
        Submitted.Add(specYaml);
        return Task.FromResult(Outcome<string>.Ok(SpecLoader.Parse(specYaml, "spec.yaml", null).Name));
    }
}
