using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using ForgetLab.Grains.Registry;

namespace ForgetLab.Grains.Datasets;

/// <summary>
/// One tenant's data set registry, kept by the model registry's rules (<see cref="RegistryGrain{TEntry, TFile, TState}"/>),
/// plus deletion: a deleted name is never registered again, so a spec that names it trains on the same bytes whenever
/// it runs, or fails saying the data set is gone.
/// </summary>
public sealed class DatasetRegistryGrain(
    [PersistentState("datasets", GrainStorage.Name)] IPersistentState<DatasetRegistryState> registry)
    : RegistryGrain<DatasetRecord, DatasetFile, DatasetRegistryState>(registry, "data set", "dataset_registry"), IDatasetRegistryGrain
{
    protected override ImmutableArray<DatasetRecord> Entries(DatasetRegistryState state) => state.Datasets;

    protected override DatasetRegistryState WithEntries(DatasetRegistryState state, ImmutableArray<DatasetRecord> entries) =>
        state with { Datasets = entries };

    protected override string? Retired(string name) => Registry.State.Deleted.Contains(name)
        ? $"data set '{name}' was deleted, and names are never reused (a spec naming it must not come to mean other bytes); register these under a new name"
        : null;

    public async Task<Reply<DatasetRecord>> Delete(Caller caller, string name)
    {
        if (!Visible(caller) || Named(name) is not { } existing) return NotFound(name);
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<DatasetRecord>(TenantRole.Member);
        await Save(Registry.State with { Datasets = Registry.State.Datasets.Remove(existing), Deleted = Registry.State.Deleted.Add(name) });
        return Replies.Ok(existing);
    }
}
