using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Specs;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Application;

/// <summary>
/// A tenant's experiments and runs, for the REST API and the dashboard alike: submitting a spec,
/// reading and changing an experiment or a run as the caller. Keys come from <see cref="GrainKeys"/>
/// only; an id that cannot be one (a '/', another tenant's prefix, empty, too long) is answered as
/// a resource that does not exist, before any grain is reached.
/// </summary>
public sealed class Experiments(IGrainFactory grains, IOptions<ExperimentOptions> options)
{
    /// <summary>Specs are small; anything bigger is a mistake, refused before parsing.</summary>
    public const int MaxSpecChars = SpecLimits.MaxChars;

    /// <summary>
    /// Submits a spec as the caller: the role first (a viewer's spec is never parsed), then the size,
    /// the spec itself (every error with its line and field path), then the experiment grain, which
    /// checks it again and expands its grid. Nothing is stored unless the answer is Ok.
    /// </summary>
    public async Task<Reply<SubmittedExperiment>> Submit(Caller caller, ExperimentSubmission submission)
    {
        if (!GrainKeys.IsTenantId(caller.TenantId))
            return new(ReplyStatus.Forbidden, null, "the platform admin key manages tenants; sign in with a tenant's API key to submit", []);
        if (caller.Role < TenantRole.Member) return Replies.Forbidden<SubmittedExperiment>(TenantRole.Member);
        if (submission.SpecText.Length > MaxSpecChars)
            return Replies.Invalid<SubmittedExperiment>("spec", $"the spec is larger than {MaxSpecChars / 1024} KiB");

        // The id comes from the spec's name, so the spec is read here first; the grain checks it again.
        string experimentId;
        try
        {
            experimentId = Parse(submission.SpecText, "spec.yaml").Name;
        }
        catch (SpecValidationException e)
        {
            return new(ReplyStatus.Invalid, null, "the spec is invalid; nothing was stored", [.. e.Errors.Select(FieldErrorOf)]);
        }

        if (!GrainKeys.IsExperimentId(experimentId))
            return Replies.Invalid<SubmittedExperiment>("name", $"{InputLimits.Quote(experimentId)} cannot be an experiment id: it must be {GrainKeys.ExperimentRule}");
        var experiment = grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(caller.TenantId, experimentId));
        var existed = (await experiment.Get(caller)).Status == ReplyStatus.Ok;
        var reply = await experiment.Submit(caller, submission);
        return reply.Status == ReplyStatus.Ok ? Replies.Ok(new SubmittedExperiment(reply.Value!, !existed)) : Replies.As<SubmittedExperiment, ExperimentView>(reply);
    }

    /// <summary>Checks a spec as <see cref="Submit"/> would, without submitting it: every error, or none.</summary>
    public IReadOnlyList<FieldError> Validate(string specYaml)
    {
        try
        {
            Parse(specYaml, "spec.yaml");
            return [];
        }
        catch (SpecValidationException e)
        {
            return [.. e.Errors.Select(FieldErrorOf)];
        }
    }

    /// <summary>An accepted experiment's spec, read under the rule it was accepted under, so its suite paths resolve where they did.</summary>
    public LabSpec SpecOf(ExperimentView experiment) => Parse(experiment.SpecText, $"{experiment.ExperimentId}.yaml");

    /// <summary>The ids of the caller's tenant's experiments, in submission order.</summary>
    public Task<Reply<ImmutableArray<string>>> Ids(Caller caller) =>
        GrainKeys.IsTenantId(caller.TenantId)
            ? grains.GetGrain<IExperimentDirectoryGrain>(GrainKeys.Tenant(caller.TenantId)).List(caller)
            : Task.FromResult(Replies.NotFound<ImmutableArray<string>>($"tenant {InputLimits.Quote(caller.TenantId)}"));

    /// <summary>Every experiment of the caller's tenant the caller may read.</summary>
    public async Task<Reply<ImmutableArray<ExperimentView>>> List(Caller caller)
    {
        var ids = await Ids(caller);
        if (ids.Status != ReplyStatus.Ok) return Replies.As<ImmutableArray<ExperimentView>, ImmutableArray<string>>(ids);
        var views = await Task.WhenAll(ids.Value.Select(id => Get(caller, id)));
        return Replies.Ok<ImmutableArray<ExperimentView>>([.. views.Where(v => v.Status == ReplyStatus.Ok).Select(v => v.Value!)]);
    }

    public Task<Reply<ExperimentView>> Get(Caller caller, string experimentId) => OnExperiment(caller, experimentId, e => e.Get(caller));

    /// <summary>A call on the caller's experiment; NotFound, as the grain words it, for an id no experiment can have.</summary>
    public Task<Reply<T>> OnExperiment<T>(Caller caller, string experimentId, Func<IExperimentGrain, Task<Reply<T>>> call) =>
        GrainKeys.IsTenantId(caller.TenantId) && GrainKeys.IsExperimentId(experimentId)
            ? call(grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(caller.TenantId, experimentId)))
            : Task.FromResult(Replies.NotFound<T>($"experiment {InputLimits.Quote(experimentId)}"));

    /// <summary>A run of the caller's; while it is queued, with the pool's reason when no registered worker could ever take it.</summary>
    public async Task<Reply<RunView>> GetRun(Caller caller, string experimentId, string runId)
    {
        var reply = await OnRun(caller, experimentId, runId, r => r.Get(caller));
        if (reply.Value is not { State: RunState.Queued } run) return reply;
        var key = GrainKeys.Run(caller.TenantId, experimentId, runId);
        var status = await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).QueuedStatus([key]);
        return Replies.Ok(run with { Waiting = status.FirstOrDefault()?.Unplaceable });
    }

    /// <summary>The runs of the caller's experiment, the queued ones with the pool's reason when no registered worker could ever take them.</summary>
    public async Task<Reply<ImmutableArray<RunSummary>>> ListRuns(Caller caller, string experimentId)
    {
        var reply = await OnExperiment(caller, experimentId, e => e.ListRuns(caller));
        var runs = reply.Value;
        if (reply.Status != ReplyStatus.Ok || runs.IsDefault || !runs.Any(r => r.State == RunState.Queued)) return reply;
        var keys = runs.Where(r => r.State == RunState.Queued).Select(r => GrainKeys.Run(caller.TenantId, experimentId, r.RunId)).ToImmutableArray();
        var waiting = (await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).QueuedStatus(keys))
            .Where(s => s.Unplaceable is not null).ToDictionary(s => GrainKeys.LeafOf(s.RunKey), s => s.Unplaceable, StringComparer.Ordinal);
        return Replies.Ok<ImmutableArray<RunSummary>>([.. runs.Select(r => waiting.TryGetValue(r.RunId, out var why) ? r with { Waiting = why } : r)]);
    }

    /// <summary>Cancels a run; its experiment's search then decides a rung that waited only for it (its paused runs go on).</summary>
    public async Task<Reply<RunView>> CancelRun(Caller caller, string experimentId, string runId, string reason)
    {
        var reply = await OnRun(caller, experimentId, runId, r => r.Cancel(caller, reason));
        if (reply.Status == ReplyStatus.Ok) await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(caller.TenantId, experimentId)).RunEnded(runId);
        return reply;
    }

    /// <summary>A call on a run of the caller's experiment; NotFound, as the grain words it, for ids no run can have.</summary>
    public Task<Reply<T>> OnRun<T>(Caller caller, string experimentId, string runId, Func<IRunGrain, Task<Reply<T>>> call) =>
        GrainKeys.IsTenantId(caller.TenantId) && GrainKeys.IsExperimentId(experimentId) && GrainKeys.IsRunId(runId)
            ? call(grains.GetGrain<IRunGrain>(GrainKeys.Run(caller.TenantId, experimentId, runId)))
            : Task.FromResult(Replies.NotFound<T>($"run {InputLimits.Quote(runId)}"));

    private LabSpec Parse(string yaml, string source) => SpecLoader.ParseUnder(yaml, source, options.Value.SpecFiles);

    private static FieldError FieldErrorOf(SpecError error) => new(error.Line, error.Path, error.Message);
}
