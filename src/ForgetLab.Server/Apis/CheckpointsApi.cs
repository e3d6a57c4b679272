using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;
using ForgetLab.Server.Application;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// A run's checkpoints: the list the run grain holds (step, SHA-256, blob folder, scores), one
/// checkpoint's suites from the run's report, and a LoRA checkpoint's adapter as a zip. Only the
/// owning tenant sees them; publishing an experiment does not change that.
/// </summary>
public static class CheckpointsApi
{
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/experiments/{{experimentId}}/runs/{{runId}}/checkpoints")
            .WithTags("Checkpoints").RequireAuthorization(CallerClaims.TenantPolicy);

        api.MapGet("/", ListCheckpoints);
        api.MapGet("/{step:long}/report", GetCheckpointReport);
        api.MapGet("/{step:long}/changes", GetItemChanges)
            .WithDescription("The items this checkpoint lost and gained on one suite (?suite=), with each item's prompt, the base model's answer and this checkpoint's.");
        api.MapGet("/{step:long}/adapter", GetAdapter)
            .WithDescription("A zip of adapter_config.json and adapter_model.safetensors; 404 for a full-model checkpoint.");
        return app;
    }

    public static async Task<Results<Ok<ImmutableArray<CheckpointView>>, ProblemHttpResult>> ListCheckpoints(
        string experimentId, string runId, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.GetRun(services.Caller, experimentId, runId))
            .ToHttp<RunView, ImmutableArray<CheckpointView>>(run => [.. run.Checkpoints.Select(CheckpointView.Of)]);

    public static async Task<Results<Ok<CheckpointReportView>, ProblemHttpResult>> GetCheckpointReport(
        string experimentId, string runId, long step, [AsParameters] ApiServices services, Experiments experiments, RunReportStore reports, CancellationToken cancel)
    {
        var run = await experiments.GetRun(services.Caller, experimentId, runId);
        if (run.Status != ReplyStatus.Ok) return run.Failure();
        var view = run.Value!;
        if (view.Checkpoints.All(c => c.Step != step)) return ReplyResults.NotFound($"checkpoint at step {step} of run '{runId}'");

        var report = await reports.Read(view.TenantId, view.ExperimentId, view.Recipe.Name, cancel);
        if (report is null) return ReplyResults.NotFound($"report of run '{runId}' (the run has not ended)");
        var checkpoint = report.Checkpoints.FirstOrDefault(c => c.Step == step);
        if (checkpoint is null) return ReplyResults.NotFound($"report of checkpoint at step {step} of run '{runId}'");
        return TypedResults.Ok(new CheckpointReportView(view.ExperimentId, view.Recipe.Name, checkpoint.Step, checkpoint.TrainLoss, checkpoint.Suites, checkpoint.Drift) { Rl = checkpoint.Rl });
    }

    public static async Task<Results<Ok<IReadOnlyList<ItemChange>>, ProblemHttpResult>> GetItemChanges(
        string experimentId, string runId, long step, string? suite, [AsParameters] ApiServices services, Experiments experiments, ItemChangeReader changes, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(suite)) return ReplyResults.Invalid("suite", "name the suite: ?suite=capitals_recall");
        var run = await experiments.GetRun(services.Caller, experimentId, runId);
        if (run.Status != ReplyStatus.Ok) return run.Failure();
        if (run.Value!.Checkpoints.All(c => c.Step != step)) return ReplyResults.NotFound($"checkpoint at step {step} of run '{runId}'");
        var items = await changes.Read(services.Caller, run.Value, step, suite, cancel);
        return items is null
            ? ReplyResults.NotFound($"result of suite '{suite}' at step {step} of run '{runId}' (the run has not ended, or the suite is not in its report)")
            : TypedResults.Ok(items);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAdapter(
        string experimentId, string runId, long step, [AsParameters] ApiServices services, Experiments experiments, CheckpointStore checkpoints, CancellationToken cancel)
    {
        var run = await experiments.GetRun(services.Caller, experimentId, runId);
        if (run.Status != ReplyStatus.Ok) return run.Failure();
        var view = run.Value!;
        if (view.Checkpoints.FirstOrDefault(c => c.Step == step) is not { } record)
            return ReplyResults.NotFound($"checkpoint at step {step} of run '{runId}'");

        var folder = checkpoints.Folder(view.TenantId, view.ExperimentId, view.Recipe.Name, step, record.BlobLocation);
        var zip = await checkpoints.ZipAdapter(folder, cancel);
        if (zip is null)
            return ReplyResults.Problem(StatusCodes.Status404NotFound, "Not Found",
                $"checkpoint at step {step} of run '{runId}' has no adapter: it is a full-model checkpoint (or its adapter files are missing)");
        return TypedResults.File(zip, "application/zip", $"{view.ExperimentId}-{view.Recipe.Name}-step-{step}-adapter.zip");
    }
}

/// <summary>A checkpoint as the run grain recorded it.</summary>
public sealed record CheckpointView(
    long Step, string Sha256, string BlobLocation, DateTimeOffset SavedAt, DateTimeOffset? EvaluatedAt,
    IReadOnlyDictionary<string, double> Scores)
{
    public static CheckpointView Of(CheckpointRecord c) =>
        new(c.Step, c.Sha256, c.BlobLocation, c.SavedAt, c.EvaluatedAt,
            (c.Scores.IsDefault ? [] : c.Scores).GroupBy(s => s.Suite).ToDictionary(g => g.Key, g => g.Last().Score));
}

/// <summary>One checkpoint's suites against the base, from the run's report.</summary>
public sealed record CheckpointReportView(
    string ExperimentId, string RunId, long Step, double? TrainLoss, IReadOnlyList<SuiteResult> Suites, IReadOnlyDictionary<string, double>? Drift)
{
    /// <summary>Reward, KL to the base, entropy and length of a reward-fine-tuned run's checkpoint; null for supervised runs.</summary>
    public RlMeasurement? Rl { get; init; }
}
