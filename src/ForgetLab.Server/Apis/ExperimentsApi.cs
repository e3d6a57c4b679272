using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Server.Application;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// A tenant's experiments: submit a lab spec (YAML as <c>text/yaml</c>, or JSON
/// <c>{"spec": "…"}</c>), list, read, cancel, publish. The experiment id is the spec's
/// <c>name</c>. A bad spec is a 400 naming each line and field path, and nothing is stored.
/// </summary>
public static class ExperimentsApi
{
    /// <summary>Specs are small; a body bigger than one is refused before it is read whole.</summary>
    public const int MaxSpecBytes = Experiments.MaxSpecChars;

    private static readonly string[] YamlMediaTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain"];

    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/experiments").WithTags("Experiments").RequireAuthorization(CallerClaims.TenantPolicy);

        // No Accepts metadata: it would make routing answer 415 before the handler can say which media types work.
        // The role is checked by policy before the body is read: a Viewer's spec is never parsed.
        api.MapPost("/", SubmitExperiment).RequireAuthorization(CallerClaims.MemberPolicy).RequireRateLimiting(RequestLimits.ExpensivePolicy)
            .WithDescription("Body: the spec as text/yaml (also application/yaml, text/plain), or application/json {\"spec\": \"…\", \"priority\": 0, \"deviceKind\": \"any\", \"devicesPerRun\": 1}.");
        api.MapGet("/", ListExperiments);
        api.MapGet("/{experimentId}", GetExperiment);
        api.MapPost("/{experimentId}/cancel", CancelExperiment).RequireAuthorization(CallerClaims.MemberPolicy);
        api.MapPost("/{experimentId}/publish", (string experimentId, [AsParameters] ApiServices services, Experiments experiments) => SetPublished(experimentId, true, services, experiments))
            .RequireAuthorization(CallerClaims.MemberPolicy);
        api.MapPost("/{experimentId}/unpublish", (string experimentId, [AsParameters] ApiServices services, Experiments experiments) => SetPublished(experimentId, false, services, experiments))
            .RequireAuthorization(CallerClaims.MemberPolicy);
        return app;
    }

    public static async Task<Results<Created<ExperimentView>, Ok<ExperimentView>, ProblemHttpResult>> SubmitExperiment(
        HttpRequest request, [AsParameters] ApiServices services, Experiments experiments)
    {
        var (submission, bodyError) = await ReadSubmission(request);
        if (submission is null) return bodyError!;

        var reply = await experiments.Submit(services.Caller, submission);
        if (reply.Status != ReplyStatus.Ok) return reply.Failure();
        var (experiment, created) = reply.Value!;
        return created
            ? TypedResults.Created($"{ApiConventions.Prefix}/experiments/{experiment.ExperimentId}", experiment)
            : TypedResults.Ok(experiment);
    }

    public static async Task<Results<Ok<ImmutableArray<ExperimentSummary>>, ProblemHttpResult>> ListExperiments(
        [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.List(services.Caller)).ToHttp<ImmutableArray<ExperimentView>, ImmutableArray<ExperimentSummary>>(views => [.. views.Select(ExperimentSummary.Of)]);

    public static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> GetExperiment(
        string experimentId, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.Get(services.Caller, experimentId)).ToHttp();

    public static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> CancelExperiment(
        string experimentId, CancelRequest? request, [AsParameters] ApiServices services, Experiments experiments) =>
        (await experiments.OnExperiment(services.Caller, experimentId, e => e.Cancel(services.Caller, CancelRequest.ReasonOf(request, services.Caller)))).ToHttp();

    private static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> SetPublished(
        string experimentId, bool published, ApiServices services, Experiments experiments) =>
        (await experiments.OnExperiment(services.Caller, experimentId, e => e.SetPublished(services.Caller, published))).ToHttp();

    /// <summary>The submission in the body, or the 400/415 that says why there is none.</summary>
    private static async Task<(ExperimentSubmission? Submission, Results<Created<ExperimentView>, Ok<ExperimentView>, ProblemHttpResult>? Error)> ReadSubmission(HttpRequest request)
    {
        if (request.ContentLength > MaxSpecBytes) return (null, ReplyResults.Invalid("spec", $"the body is larger than {MaxSpecBytes / 1024} KiB"));

        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxSpecBytes + 1];
        var length = await reader.ReadBlockAsync(buffer);
        if (length > MaxSpecBytes) return (null, ReplyResults.Invalid("spec", $"the body is larger than {MaxSpecBytes / 1024} KiB"));
        var body = new string(buffer, 0, length);

        if (mediaType is "application/json" || mediaType?.EndsWith("+json", StringComparison.Ordinal) == true)
        {
            SubmitExperimentRequest? json;
            try
            {
                json = JsonSerializer.Deserialize<SubmitExperimentRequest>(body, JsonOptions);
            }
            catch (JsonException e)
            {
                return (null, ReplyResults.Invalid([JsonBodyErrors.Describe(e, typeof(SubmitExperimentRequest))]));
            }

            if (json?.Spec is not { } spec || string.IsNullOrWhiteSpace(spec))
                return (null, ReplyResults.Invalid("spec", "required: the lab spec as YAML text"));
            return (new ExperimentSubmission(spec, json.Priority ?? 0, json.DeviceKind ?? "any", json.DevicesPerRun ?? 1, json.PriorityClass ?? "normal"), null);
        }

        if (mediaType is null || YamlMediaTypes.Contains(mediaType))
        {
            if (string.IsNullOrWhiteSpace(body)) return (null, ReplyResults.Invalid(ReplyResults.DocumentPath, "the spec is empty"));
            return (new ExperimentSubmission(body), null);
        }

        return (null, ReplyResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
            $"send the spec as text/yaml, or as application/json {{\"spec\": \"…\"}}; got '{mediaType}'"));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = RequestLimits.MaxJsonDepth,
    };
}

/// <summary>JSON body of <c>POST /api/v1/experiments</c>: the YAML spec and how its runs ask for devices.</summary>
public sealed record SubmitExperimentRequest(string? Spec, int? Priority, string? DeviceKind, int? DevicesPerRun, string? PriorityClass = null);

/// <summary>An experiment in a listing: no spec text.</summary>
public sealed record ExperimentSummary(
    string ExperimentId, string? Description, DateTimeOffset SubmittedAt, int Runs, bool Cancelled, bool Published)
{
    public static ExperimentSummary Of(ExperimentView view) =>
        new(view.ExperimentId, view.Description, view.SubmittedAt, view.RunIds.Length, view.Cancelled, view.Published);
}

/// <summary>Optional body of the cancel endpoints.</summary>
public sealed record CancelRequest(string? Reason)
{
    public static string ReasonOf(CancelRequest? request, Caller caller) =>
        string.IsNullOrWhiteSpace(request?.Reason) ? $"cancelled through the API by {caller.Subject}" : request.Reason;
}
