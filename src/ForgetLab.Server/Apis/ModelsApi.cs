using System.Collections.Immutable;
using System.Text.Json;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Server.Hosting;
using ForgetLab.Server.Models;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The caller's tenant's model registry: list, read, and register a base model — uploaded as a zip
/// of a Hugging Face-layout folder (config.json, model.safetensors, vocab.json), or the base of one
/// of the tenant's experiments. Specs name a registered model with <c>base: { model_ref: NAME }</c>.
/// </summary>
public static class ModelsApi
{
    /// <summary>The largest model upload taken (1 GiB); it is read into memory to be checked.</summary>
    public const long MaxUploadBytes = 1L << 30;

    public static WebApplicationBuilder AddForgetLabModels(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(SiloHosting.StorageConnectionName) ?? "UseDevelopmentStorage=true";
        var container = builder.Configuration["ForgetLab:Checkpoints:Container"] ?? "checkpoints";
        builder.Services.AddSingleton(new ModelStore(new BlobServiceClient(connectionString).GetBlobContainerClient(container)));
        return builder;
    }

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/models").WithTags("Models").RequireAuthorization(CallerClaims.TenantPolicy);
        api.MapGet("/", List);
        api.MapGet("/{name}", Get);
        api.MapPost("/", Register)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUploadBytes))
            .WithDescription("`application/zip` body with `?name=N`, `multipart/form-data` with `name` and a zip `file`, or JSON `{name, experiment}` for an experiment's base.");
        return app;
    }

    public static async Task<Results<Ok<ImmutableArray<ModelRecord>>, ProblemHttpResult>> List([AsParameters] ApiServices services) =>
        (await Registry(services).List(services.Caller)).ToHttp();

    public static async Task<Results<Ok<ModelRecord>, ProblemHttpResult>> Get(string name, [AsParameters] ApiServices services) =>
        (await Registry(services).Get(services.Caller, name)).ToHttp();

    public static async Task<Results<Created<ModelRecord>, ProblemHttpResult>> Register(
        HttpRequest request, string? name, [AsParameters] ApiServices services, ModelStore store, CancellationToken cancel)
    {
        var caller = services.Caller;
        if (!TenantAccessAllowsMember(caller)) return ReplyResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", "this needs the member role");

        Dictionary<string, byte[]>? files;
        string source;
        if (request.HasJsonContentType())
        {
            var body = await request.ReadFromJsonAsync<RegisterExperimentBase>(cancel);
            if (string.IsNullOrWhiteSpace(body?.Experiment)) return ReplyResults.Invalid("experiment", "name the experiment whose base to register, or upload a zip");
            name = body.Name;
            var experiment = await ExperimentsApi.Grain(services, body.Experiment).Get(caller);
            if (experiment.Status != ReplyStatus.Ok) return experiment.Failure();
            files = await store.ReadExperimentBase(caller.TenantId, experiment.Value!.ExperimentId, cancel);
            if (files is null)
                return ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict",
                    $"experiment '{body.Experiment}' has no stored base yet: the first worker to prepare it stores it");
            source = $"experiment:{experiment.Value.ExperimentId}";
        }
        else
        {
            Stream zip;
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancel);
                name = form["name"].FirstOrDefault() ?? name;
                if (form.Files.FirstOrDefault() is not { } file) return ReplyResults.Invalid("file", "the form has no file: attach the model folder as a zip");
                zip = file.OpenReadStream();
            }
            else
            {
                zip = request.Body;
            }
            using var buffer = new MemoryStream();
            await zip.CopyToAsync(buffer, cancel);
            if (buffer.Length == 0) return ReplyResults.Invalid(ReplyResults.DocumentPath, "the body is empty: send the model folder as a zip (application/zip) or multipart form");
            buffer.Position = 0;
            var (read, error) = ModelStore.ReadZip(buffer);
            if (error is not null) return ReplyResults.Invalid([error]);
            files = read!;
            source = "upload";
        }

        if (string.IsNullOrWhiteSpace(name)) return ReplyResults.Invalid("name", "required: the name specs will use in base.model_ref");
        if (!Grains.Models.ModelRegistryGrain.IsModelName(name))
            return ReplyResults.Invalid("name", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        var (architecture, hashed, errors) = ModelFolderCheck.Check(files);
        if (!errors.IsEmpty) return ReplyResults.Invalid(errors);

        // A taken name is refused before its files could be overwritten; the same files again are harmless.
        var registry = Registry(services);
        if (await registry.Get(caller, name) is { Status: ReplyStatus.Ok, Value: { } existing })
        {
            return existing.Files.SequenceEqual(hashed)
                ? TypedResults.Created($"{ApiConventions.Prefix}/models/{name}", existing)
                : ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict", $"model '{name}' is registered with other files; register these under a new name");
        }
        var filesHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join("\n", hashed.Select(f => $"{f.Name} {f.Sha256}")))))[..16];
        var location = await store.Save(caller.TenantId, name, filesHash, files, cancel);
        var reply = await registry.Register(caller, new ModelRecord(name, architecture!, hashed, location, source, DateTimeOffset.UtcNow));
        if (reply.Status != ReplyStatus.Ok) return reply.Failure();
        return TypedResults.Created($"{ApiConventions.Prefix}/models/{name}", reply.Value!);
    }

    private static bool TenantAccessAllowsMember(Caller caller) => caller.Role >= TenantRole.Member;

    private static IModelRegistryGrain Registry(ApiServices services) => services.Grains.GetGrain<IModelRegistryGrain>(services.Caller.TenantId);
}

/// <summary>Body of <c>POST /api/v1/models</c> registering an experiment's base.</summary>
public sealed record RegisterExperimentBase(string? Name, string? Experiment);
