using ForgetLab.Core.Reports;
using ForgetLab.Server.Application;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The cross-tenant board: every published experiment's report numbers, grouped by base model hash
/// and suite set and ranked by each group's frontier (<see cref="SharedBoard"/>, <see cref="BoardRanking"/>).
/// </summary>
public static class BoardApi
{
    public static IEndpointRouteBuilder MapBoardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/board").WithTags("Board").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", GetBoard);
        return app;
    }

    public static async Task<Ok<BoardView>> GetBoard(SharedBoard board, CancellationToken cancel) =>
        TypedResults.Ok(await board.Get(cancel));
}
