using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Models;

/// <summary>
/// One tenant's model registry. Only the tenant's own callers see it; another tenant's model looks
/// exactly like one that does not exist. A name, once registered, always means the same files, so
/// a spec that names it means the same base whenever it runs.
/// </summary>
public sealed partial class ModelRegistryGrain(
    [PersistentState("models", GrainStorage.Name)] IPersistentState<ModelRegistryState> registry) : Grain, IModelRegistryGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public Task<Reply<ImmutableArray<ModelRecord>>> List(Caller caller) => Task.FromResult(
        Visible(caller)
            ? Replies.Ok(registry.State.Models.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name)))
            : Replies.NotFound<ImmutableArray<ModelRecord>>($"tenant '{TenantId}'"));

    public Task<Reply<ModelRecord>> Get(Caller caller, string name) => Task.FromResult(
        Visible(caller) && Named(name) is { } model ? Replies.Ok(model) : NotFound(name));

    public async Task<Reply<ModelRecord>> Register(Caller caller, ModelRecord model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Visible(caller)) return NotFound(model.Name);
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<ModelRecord>(TenantRole.Member);
        if (!IsModelName(model.Name))
            return Replies.Invalid<ModelRecord>("name", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        if (model.Files.IsDefaultOrEmpty) return Replies.Invalid<ModelRecord>("files", "a model needs its files");

        if (Named(model.Name) is { } existing)
        {
            return existing.Files.SequenceEqual(model.Files)
                ? Replies.Ok(existing)
                : Replies.Conflict<ModelRecord>($"model '{model.Name}' is registered with other files; register these under a new name");
        }

        await registry.SaveOrRollBack(registry.State with { Models = registry.State.Models.Add(model) }, "model_registry");
        return Replies.Ok(model);
    }

    public Task<ModelRecord?> Find(string name) => Task.FromResult(Named(name));

    public static bool IsModelName(string? name) => name is not null && ModelNamePattern().IsMatch(name);

    private ModelRecord? Named(string name) => registry.State.Models.FirstOrDefault(m => m.Name == name);

    private bool Visible(Caller caller) => TenantAccess.Owns(caller, TenantId);

    private static Reply<ModelRecord> NotFound(string name) => Replies.NotFound<ModelRecord>($"model '{name}'");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ModelNamePattern();
}
