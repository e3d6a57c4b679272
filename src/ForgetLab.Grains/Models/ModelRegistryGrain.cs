using System.Collections.Immutable;
using ForgetLab.Contracts.Models;
using ForgetLab.Grains.Hosting;
using ForgetLab.Grains.Registry;

namespace ForgetLab.Grains.Models;

/// <summary>
/// One tenant's model registry (<see cref="RegistryGrain{TEntry, TFile, TState}"/>'s rules): a name always means the
/// same files, so a spec that names it means the same base whenever it runs.
/// </summary>
public sealed class ModelRegistryGrain(
    [PersistentState("models", GrainStorage.Name)] IPersistentState<ModelRegistryState> registry)
    : RegistryGrain<ModelRecord, ModelFile, ModelRegistryState>(registry, "model", "model_registry"), IModelRegistryGrain
{
    protected override ImmutableArray<ModelRecord> Entries(ModelRegistryState state) => state.Models;

    protected override ModelRegistryState WithEntries(ModelRegistryState state, ImmutableArray<ModelRecord> entries) =>
        state with { Models = entries };
}
