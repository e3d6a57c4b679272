using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Experiments;

/// <summary>
/// A tenant's list of experiment ids. Experiments add themselves after their spec is stored, so an
/// invalid submission never appears here; a listing reads each experiment for its details.
/// </summary>
public sealed class ExperimentDirectoryGrain(
    [PersistentState("experiments", GrainStorage.Name)] IPersistentState<ExperimentDirectoryState> directory) : Grain, IExperimentDirectoryGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public async Task Register(string experimentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(experimentId);
        if (directory.State.ExperimentIds.Contains(experimentId)) return;

        await directory.SaveOrRollBack(directory.State with { ExperimentIds = directory.State.ExperimentIds.Add(experimentId) }, "experiment_directory");
    }

    public Task<Reply<ImmutableArray<string>>> List(Caller caller) =>
        Task.FromResult(TenantAccess.Owns(caller, TenantId)
            ? Replies.Ok(directory.State.ExperimentIds)
            : Replies.NotFound<ImmutableArray<string>>($"tenant '{TenantId}'"));
}
