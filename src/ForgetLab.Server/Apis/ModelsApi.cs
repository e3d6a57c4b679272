using System.Collections.Immutable;
using System.Text.Json;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Models;
using ForgetLab.Grains.Registry;
using ForgetLab.Server.Application;
using ForgetLab.Server.Hosting;
using ForgetLab.Server.Models;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The caller's tenant's model registry: list, read, and register a base model — uploaded as a zip
/// of a Hugging Face-layout folder (config.json, model.safetensors or a sharded index with its shards,
/// tokenizer.json or tokenizer.model with tokenizer_config.json and generation_config.json, or vocab.json), or the base of one
/// of the tenant's experiments — or a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) with
/// <c>base=BASE</c>, checked against that registered base. Specs name a registered model with <c>base: { model_ref: NAME }</c>,
/// and an adapter (or a model) to evaluate against the base with <c>evaluate: [{ name, model_ref: NAME }]</c>.
/// </summary>
public static class ModelsApi
{
    /// <summary>The largest model upload taken (1 GiB); it is streamed within <see cref="UploadLimits"/>, never held in memory.</summary>
    public const long MaxUploadBytes = 1L << 30;

    public static WebApplicationBuilder AddForgetLabModels(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(SiloHosting.StorageConnectionName) ?? "UseDevelopmentStorage=true";
        var container = builder.Configuration["ForgetLab:Checkpoints:Container"] ?? "checkpoints";
        builder.Services.AddSingleton(new ModelStore(new BlobServiceClient(connectionString).GetBlobContainerClient(container)));
        builder.Services.AddSingleton(UploadLimits.Default with { MaxUploadBytes = MaxUploadBytes });
        return builder;
    }

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/models").WithTags("Models").RequireAuthorization(CallerClaims.TenantPolicy);
        api.MapGet("/", List);
        api.MapGet("/{name}", Get);
        api.MapPost("/", Register)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUploadBytes))
            .WithDescription("`application/zip` body with `?name=N`, `multipart/form-data` with `name` and a zip `file`, or JSON `{name, experiment}` for an experiment's base. " +
                "A zip of a PEFT LoRA adapter folder also names its registered base: `?base=B` or the form's `base` field.");
        return app;
    }

    public static async Task<Results<Ok<ImmutableArray<ModelRecord>>, ProblemHttpResult>> List([AsParameters] ApiServices services) =>
        (await Registry(services).List(services.Caller)).ToHttp();

    public static async Task<Results<Ok<ModelRecord>, ProblemHttpResult>> Get(string name, [AsParameters] ApiServices services) =>
        (await Registry(services).Get(services.Caller, name)).ToHttp();

    public static async Task<Results<Created<ModelRecord>, ProblemHttpResult>> Register(
        HttpRequest request, string? name, [FromQuery(Name = "base")] string? baseModel, [AsParameters] ApiServices services, Experiments experiments, ModelStore store, UploadLimits limits, CancellationToken cancel)
    {
        var caller = services.Caller;
        if (!TenantAccessAllowsMember(caller)) return ReplyResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", "this needs the member role");

        if (request.HasJsonContentType())
        {
            RegisterExperimentBase? body;
            try
            {
                body = await request.ReadFromJsonAsync<RegisterExperimentBase>(new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 8 }, cancel);
            }
            catch (JsonException e)
            {
                return ReplyResults.Invalid(e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : ReplyResults.DocumentPath,
                    $"malformed JSON at line {(e.LineNumber ?? 0) + 1}: send {{\"name\": \"N\", \"experiment\": \"E\"}}");
            }
            if (string.IsNullOrWhiteSpace(body?.Experiment)) return ReplyResults.Invalid("experiment", "name the experiment whose base to register, or upload a zip");
            if (NameProblem(body.Name) is { } bad) return bad;
            var experiment = await experiments.Get(caller, body.Experiment);
            if (experiment.Status != ReplyStatus.Ok) return experiment.Failure();
            var (files, location) = await store.Begin(caller.TenantId, body.Name!, limits, cancel);
            await using (files)
            {
                var (found, errors) = await store.ReadExperimentBase(caller.TenantId, experiment.Value!.ExperimentId, files, cancel);
                if (!found)
                    return ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict",
                        $"experiment '{body.Experiment}' has no stored base yet: the first worker to prepare it stores it");
                if (!errors.IsEmpty) return ReplyResults.Invalid(errors);
                return await CheckAndRegister(services, body.Name!, files, location, $"experiment:{experiment.Value.ExperimentId}", limits, cancel);
            }
        }

        // The zip streams to a bounded temporary file, then each model file from it into Blob storage.
        var (upload, uploadError) = await ModelUploadBody.Read(request, limits, cancel);
        if (uploadError is not null) return ReplyResults.Invalid([uploadError]);
        await using (upload)
        {
            name = upload!.Name ?? name;
            if (upload.Zip is null) return ReplyResults.Invalid("file", "the form has no file: attach the model folder as a zip");
            if (upload.Zip.Length == 0) return ReplyResults.Invalid(ReplyResults.DocumentPath, "the body is empty: send the model folder as a zip (application/zip) or multipart form");
            if (NameProblem(name) is { } bad) return bad;
            var (files, location) = await store.Begin(caller.TenantId, name!, limits, cancel);
            await using (files)
            {
                var errors = await ModelZipReader.Read(upload.Zip, files, limits, cancel);
                if (!errors.IsEmpty) return ReplyResults.Invalid(errors);
                if (PeftAdapterCheck.IsAdapter(files.Files.Keys))
                    return await CheckAndRegisterAdapter(services, name!, upload.Base ?? baseModel, files, location, limits, cancel);
                return await CheckAndRegister(services, name!, files, location, "upload", limits, cancel);
            }
        }
    }

    /// <summary>Checks the streamed files and registers them; nothing stays stored unless the registry took them.</summary>
    private static async Task<Results<Created<ModelRecord>, ProblemHttpResult>> CheckAndRegister(
        ApiServices services, string name, StagedModelFiles files, string location, string source, UploadLimits limits, CancellationToken cancel)
    {
        var (architecture, hashed, errors) = ModelUploadCheck.Check(files.Files, limits);
        if (!errors.IsEmpty) return ReplyResults.Invalid(errors);
        return await Store(services, name, files, new ModelRecord(name, architecture!, hashed, location, source, DateTimeOffset.UtcNow), cancel);
    }

    /// <summary>
    /// A PEFT adapter: its base is one of the tenant's registered models (named by <c>base</c>, or by the adapter's own
    /// <c>base_model_name_or_path</c> when that is a registered name), and the adapter must fit it. Another tenant's base is as missing.
    /// </summary>
    private static async Task<Results<Created<ModelRecord>, ProblemHttpResult>> CheckAndRegisterAdapter(
        ApiServices services, string name, string? baseName, StagedModelFiles files, string location, UploadLimits limits, CancellationToken cancel)
    {
        var registry = Registry(services);
        baseName ??= files.Files.TryGetValue(PeftAdapterCheck.ConfigFile, out var config) ? NamedBase(config.Head) : null;
        if (string.IsNullOrWhiteSpace(baseName))
            return ReplyResults.Invalid("base", $"an adapter goes on a registered base: name it with base=NAME (its {PeftAdapterCheck.ConfigFile}'s base_model_name_or_path is no registered model)");
        if (await registry.Get(services.Caller, baseName) is not { Status: ReplyStatus.Ok, Value: { } baseModel })
            return ReplyResults.Invalid("base", $"no model '{SafetensorsHeader.Shorten(baseName)}' in this tenant's registry (GET /api/v1/models, forgetlab models list)");
        if (baseModel.IsAdapter)
            return ReplyResults.Invalid("base", $"'{baseName}' is an adapter (on '{baseModel.Adapter!.BaseModel}'); an adapter goes on a base model");
        var (adapter, hashed, errors) = ModelUploadCheck.CheckAdapter(files.Files, baseModel, limits);
        if (!errors.IsEmpty) return ReplyResults.Invalid(errors);
        // The base's architecture, so the adapter's evaluation is placed by its base's memory.
        return await Store(services, name, files, new ModelRecord(name, baseModel.Architecture, hashed, location, "upload", DateTimeOffset.UtcNow, adapter), cancel);
    }

    /// <summary>The adapter config's <c>base_model_name_or_path</c> when it could be a registered model's name.</summary>
    private static string? NamedBase(ReadOnlyMemory<byte> config)
    {
        try
        {
            using var doc = JsonDocument.Parse(config, new JsonDocumentOptions { MaxDepth = 32 });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("base_model_name_or_path", out var v)
                && v.ValueKind == JsonValueKind.String && RegistryNames.IsValid(v.GetString()) ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the adapter's check says what is wrong with it
        }
    }

    private static async Task<Results<Created<ModelRecord>, ProblemHttpResult>> Store(
        ApiServices services, string name, StagedModelFiles files, ModelRecord record, CancellationToken cancel)
    {
        var caller = services.Caller;
        var (hashed, location) = (record.Files, record.BlobPrefix);

        // A taken name is refused before anything is committed; the same files again are harmless.
        var registry = Registry(services);
        if (await registry.Get(caller, name) is { Status: ReplyStatus.Ok, Value: { } existing })
        {
            return existing.Files.SequenceEqual(hashed)
                ? TypedResults.Created($"{ApiConventions.Prefix}/models/{name}", existing)
                : ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict", $"model '{name}' is registered with other files; register these under a new name");
        }
        await files.Commit(cancel);
        var reply = await registry.Register(caller, record);
        if (reply.Status != ReplyStatus.Ok || reply.Value!.BlobPrefix != location) await files.Discard(CancellationToken.None); // another upload won the name
        if (reply.Status != ReplyStatus.Ok) return reply.Failure();
        return TypedResults.Created($"{ApiConventions.Prefix}/models/{name}", reply.Value!);
    }

    private static ProblemHttpResult? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? ReplyResults.Invalid("name", "required: the name specs will use in base.model_ref")
        : !RegistryNames.IsValid(name) ? ReplyResults.Invalid("name", RegistryNames.Rule)
        : null;

    private static bool TenantAccessAllowsMember(Caller caller) => caller.Role >= TenantRole.Member;

    private static IModelRegistryGrain Registry(ApiServices services) => services.Grains.GetGrain<IModelRegistryGrain>(GrainKeys.Tenant(services.Caller.TenantId));
}

/// <summary>Body of <c>POST /api/v1/models</c> registering an experiment's base.</summary>
public sealed record RegisterExperimentBase(string? Name, string? Experiment);
