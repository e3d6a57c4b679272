using System.Collections.Immutable;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Grains.Registry;
using ForgetLab.Server.Datasets;
using ForgetLab.Server.Hosting;
using ForgetLab.Server.Models;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The caller's tenant's data sets: list, read, upload (one JSONL file, or a zip of JSONL files), delete. An upload is
/// checked line by line as the lab checks a data file, and refused whole with the file, line and field of its problem.
/// Specs name a data set with <c>{ data_ref: NAME, file: F }</c> where a data file goes.
/// </summary>
public static class DatasetsApi
{
    public static WebApplicationBuilder AddForgetLabDatasets(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(SiloHosting.StorageConnectionName) ?? "UseDevelopmentStorage=true";
        var container = builder.Configuration["ForgetLab:Checkpoints:Container"] ?? "checkpoints";
        builder.Services.AddSingleton(new DatasetStore(new BlobServiceClient(connectionString).GetBlobContainerClient(container)));
        builder.Services.AddSingleton(DatasetLimits.Default);
        return builder;
    }

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/datasets").WithTags("Datasets").RequireAuthorization(CallerClaims.TenantPolicy);
        api.MapGet("/", List);
        api.MapGet("/{name}", Get);
        api.MapPost("/", Upload)
            .RequireAuthorization(CallerClaims.MemberPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(DatasetLimits.Default.MaxUploadBytes))
            .WithDescription("A JSONL body (`?name=N&file=F.jsonl`), an `application/zip` of JSONL files (`?name=N`), or `multipart/form-data` with `name` and a `file`.");
        api.MapDelete("/{name}", Delete).RequireAuthorization(CallerClaims.MemberPolicy);
        return app;
    }

    public static async Task<Results<Ok<ImmutableArray<DatasetRecord>>, ProblemHttpResult>> List([AsParameters] ApiServices services) =>
        (await Registry(services).List(services.Caller)).ToHttp();

    public static async Task<Results<Ok<DatasetRecord>, ProblemHttpResult>> Get(string name, [AsParameters] ApiServices services) =>
        (await Registry(services).Get(services.Caller, name)).ToHttp();

    public static async Task<Results<Created<DatasetRecord>, ProblemHttpResult>> Upload(
        HttpRequest request, string? name, string? file, [AsParameters] ApiServices services, DatasetStore store, DatasetLimits limits, CancellationToken cancel)
    {
        var caller = services.Caller;
        // The body spools to a bounded temporary file (the form's file section, or the body itself), as a model upload's does.
        var (body, bodyError) = await ModelUploadBody.Read(request, limits, cancel);
        if (bodyError is not null) return ReplyResults.Invalid([bodyError]);
        await using (body)
        {
            name = body!.Name ?? name;
            if (body.Zip is null) return ReplyResults.Invalid("file", "the form has no file: attach the JSONL file or a zip of JSONL files");
            if (body.Zip.Length == 0) return ReplyResults.Invalid(ReplyResults.DocumentPath, "the body is empty: send a JSONL file or a zip of JSONL files");
            if (NameProblem(name) is { } bad) return bad;

            // A taken name is answered before the upload is read (the same files again are compared after).
            var registry = Registry(services);
            var existing = await registry.Get(caller, name!);
            var (upload, errors) = await DatasetUpload.Read(body.Zip, file, limits, cancel);
            if (!errors.IsEmpty) return ReplyResults.Invalid(errors);
            await using (upload)
            {
                if (existing is { Status: ReplyStatus.Ok, Value: { } known })
                {
                    var same = known.Files.Select(f => (f.Name, f.Sha256)).SequenceEqual(upload!.Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, f.Sha256)));
                    return same
                        ? TypedResults.Created($"{ApiConventions.Prefix}/datasets/{name}", known)
                        : ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict", $"data set '{name}' is registered with other files; register these under a new name");
                }
                var record = await store.Store(caller.TenantId, name!, upload!.Files, DateTimeOffset.UtcNow, cancel);
                var reply = await registry.Register(caller, record);
                if (reply.Status != ReplyStatus.Ok || reply.Value!.BlobPrefix != record.BlobPrefix) await store.Delete(record.BlobPrefix, CancellationToken.None); // refused, or another upload won the name
                if (reply.Status != ReplyStatus.Ok) return reply.Failure();
                return TypedResults.Created($"{ApiConventions.Prefix}/datasets/{name}", reply.Value!);
            }
        }
    }

    public static async Task<Results<Ok<DatasetRecord>, ProblemHttpResult>> Delete(string name, [AsParameters] ApiServices services, DatasetStore store, CancellationToken cancel)
    {
        var reply = await Registry(services).Delete(services.Caller, name);
        if (reply.Status == ReplyStatus.Ok) await store.Delete(reply.Value!.BlobPrefix, cancel);
        return reply.ToHttp();
    }

    private static ProblemHttpResult? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? ReplyResults.Invalid("name", "required: the name specs will use in data_ref")
        : !RegistryNames.IsValid(name) ? ReplyResults.Invalid("name", RegistryNames.Rule)
        : null;

    private static IDatasetRegistryGrain Registry(ApiServices services) => services.Grains.GetGrain<IDatasetRegistryGrain>(GrainKeys.Tenant(services.Caller.TenantId));
}
