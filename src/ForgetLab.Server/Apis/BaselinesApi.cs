using ForgetLab.Contracts.Baselines;
using ForgetLab.Server.Application;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The baseline table of an experiment's base model: its score on every suite definition, recorded
/// once by the first run that evaluated it and shared by every later run (and tenant, for bases of
/// the built-in world).
/// </summary>
public static class BaselinesApi
{
    public static IEndpointRouteBuilder MapBaselinesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/experiments/{{experimentId}}/baseline").WithTags("Baselines").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", GetBaseline)
            .WithDescription("The base model's hash, whether every tenant shares it, and its score per suite; 404 until a worker has prepared the base.");
        return app;
    }

    public static async Task<Results<Ok<BaselineView>, ProblemHttpResult>> GetBaseline(string experimentId, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.OnExperiment(services.Caller, experimentId, e => e.GetBaseline(services.Caller))).ToHttp();
}
