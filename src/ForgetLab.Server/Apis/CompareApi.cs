using ForgetLab.Core.Reports;
using ForgetLab.Server.Application;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// Runs side by side: <c>?runs=exp/run,exp2/run2[,…]</c> (the caller's) or <c>tenant/exp/run</c>
/// (the caller's, or a published experiment's); the first run is the reference
/// (<see cref="RunComparisons"/>, <see cref="RunComparison"/>).
/// </summary>
public static class CompareApi
{
    public const int MaxRuns = RunComparisons.MaxRuns;

    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/compare").WithTags("Compare").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", Compare).RequireRateLimiting(RequestLimits.ExpensivePolicy)
            .WithDescription("?runs=experiment/run,experiment/run[,…] or tenant/experiment/run for a published experiment; the first run is the reference.");
        return app;
    }

    public static async Task<Results<Ok<ComparisonView>, ProblemHttpResult>> Compare(
        string? runs, [AsParameters] ApiServices services, RunComparisons comparisons, CancellationToken cancel) =>
        (await comparisons.Compare(services.Caller, runs, cancel)).ToHttp();
}
