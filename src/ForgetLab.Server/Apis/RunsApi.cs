using System.Collections.Immutable;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
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
        string experimentId, [AsParameters] ApiServices services) =>
        (await ExperimentsApi.Grain(services, experimentId).ListRuns(services.Caller)).ToHttp();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRun(
        string experimentId, string runId, [AsParameters] ApiServices services) =>
        (await Run(services, experimentId, runId).Get(services.Caller)).ToHttp();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> CancelRun(
        string experimentId, string runId, CancelRequest? request, [AsParameters] ApiServices services) =>
        (await Run(services, experimentId, runId).Cancel(services.Caller, CancelRequest.ReasonOf(request, services.Caller))).ToHttp();

    private static IRunGrain Run(ApiServices services, string experimentId, string runId) =>
        services.Grains.GetGrain<IRunGrain>($"{ExperimentsApi.Key(services.Caller, experimentId)}/{runId.Replace('/', '_')}");
}
