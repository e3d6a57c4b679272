using System.Collections.Immutable;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Server.Application;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>The runs an experiment's grid expanded into: list, read (with transitions and checkpoints), cancel.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/experiments/{{experimentId}}/runs").WithTags("Runs").RequireAuthorization(CallerClaims.TenantPolicy);

        api.MapGet("/", ListRuns);
        api.MapGet("/{runId}", GetRun);
        api.MapPost("/{runId}/cancel", CancelRun).RequireAuthorization(CallerClaims.MemberPolicy);
        return app;
    }

    public static async Task<Results<Ok<ImmutableArray<RunSummary>>, ProblemHttpResult>> ListRuns(
        string experimentId, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.ListRuns(services.Caller, experimentId)).ToHttp();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRun(
        string experimentId, string runId, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.GetRun(services.Caller, experimentId, runId)).ToHttp();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> CancelRun(
        string experimentId, string runId, CancelRequest? request, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.CancelRun(services.Caller, experimentId, runId, CancelRequest.ReasonOf(request, services.Caller))).ToHttp();
}
