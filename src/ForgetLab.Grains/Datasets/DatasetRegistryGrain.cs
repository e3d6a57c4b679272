using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using ForgetLab.Grains.Models;

namespace ForgetLab.Grains.Datasets;

/// <summary>
/// One tenant's data set registry, kept as the model registry is: only the tenant's own callers see it, another
/// tenant's data set looks exactly like one that does not exist, and a name, once registered, always means the same
/// files, so a spec that names it trains on the same bytes whenever it runs: a deleted name is never registered again.
/// </summary>
public sealed class DatasetRegistryGrain(
    [PersistentState("datasets", GrainStorage.Name)] IPersistentState<DatasetRegistryState> registry) : Grain, IDatasetRegistryGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public Task<Reply<ImmutableArray<DatasetRecord>>> List(Caller caller) => Task.FromResult(
        Visible(caller)
            ? Replies.Ok(registry.State.Datasets.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name)))
            : Replies.NotFound<ImmutableArray<DatasetRecord>>($"tenant '{TenantId}'"));

    public Task<Reply<DatasetRecord>> Get(Caller caller, string name) => Task.FromResult(
        Visible(caller) && Named(name) is { } dataset ? Replies.Ok(dataset) : NotFound(name));

    public async Task<Reply<DatasetRecord>> Register(Caller caller, DatasetRecord dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!Visible(caller)) return NotFound(dataset.Name);
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<DatasetRecord>(TenantRole.Member);
        if (!IsDatasetName(dataset.Name)) return Replies.Invalid<DatasetRecord>("name", NameRule);
        if (dataset.Files.IsDefaultOrEmpty) return Replies.Invalid<DatasetRecord>("files", "a data set needs its files");

        if (registry.State.Deleted.Contains(dataset.Name))
            return Replies.Conflict<DatasetRecord>($"data set '{dataset.Name}' was deleted, and names are never reused (a spec naming it must not come to mean other bytes); register these under a new name");
        if (Named(dataset.Name) is { } existing)
        {
            return existing.Files.SequenceEqual(dataset.Files)
                ? Replies.Ok(existing)
                : Replies.Conflict<DatasetRecord>($"data set '{dataset.Name}' is registered with other files; register these under a new name");
        }

        await registry.SaveOrRollBack(registry.State with { Datasets = registry.State.Datasets.Add(dataset) }, "dataset_registry");
        return Replies.Ok(dataset);
    }

    public async Task<Reply<DatasetRecord>> Delete(Caller caller, string name)
    {
        if (!Visible(caller) || Named(name) is not { } existing) return NotFound(name);
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<DatasetRecord>(TenantRole.Member);
        await registry.SaveOrRollBack(registry.State with { Datasets = registry.State.Datasets.Remove(existing), Deleted = registry.State.Deleted.Add(name) }, "dataset_registry");
        return Replies.Ok(existing);
    }

    public Task<DatasetRecord?> Find(string name) => Task.FromResult(Named(name));

    /// <summary>The rule a data set's name follows: a model's (1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit).</summary>
    public const string NameRule = "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    public static bool IsDatasetName(string? name) => ModelRegistryGrain.IsModelName(name);

    private DatasetRecord? Named(string name) => registry.State.Datasets.FirstOrDefault(d => d.Name == name);

    private bool Visible(Caller caller) => TenantAccess.Owns(caller, TenantId);

    private static Reply<DatasetRecord> NotFound(string name) => Replies.NotFound<DatasetRecord>($"data set '{name}'");
}
