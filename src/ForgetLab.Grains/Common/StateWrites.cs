using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Common;

/// <summary>
/// The one way a grain persists a change: set the new state, write it, and if the write fails put
/// the state it had back (so the grain never serves what storage does not hold), count the failure
/// (<c>forgetlab_storage_errors_total{component="grains",operation="write_{owner}_state"}</c>) and let
/// the caller see the exception.
/// </summary>
internal static class StateWrites
{
    /// <summary>Every owner name a grain saves under, for the metric's zero series.</summary>
    public static readonly IReadOnlyList<string> Owners =
        ["run", "pool", "experiment", "experiment_directory", "tenant", "board", "baseline", "model_registry"];

    public static async Task SaveOrRollBack<T>(this IPersistentState<T> state, T next, string owner)
    {
        var before = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            GrainMetrics.StorageWriteFailed(owner);
            throw;
        }
    }
}
