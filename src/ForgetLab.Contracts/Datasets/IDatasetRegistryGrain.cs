using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Datasets;

/// <summary>
/// A tenant's registered data sets, which its specs name with <c>{ data_ref: NAME }</c> wherever a data file goes
/// (<c>target.data</c>, <c>target.eval_data</c>, the corpora). Key: the tenant id. The files are in Blob storage; the
/// registry keeps their names, hashes and shapes.
/// </summary>
[Alias("forgetlab.IDatasetRegistryGrain")]
public interface IDatasetRegistryGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<Reply<ImmutableArray<DatasetRecord>>> List(Caller caller);

    [Alias("Get")]
    Task<Reply<DatasetRecord>> Get(Caller caller, string name);

    /// <summary>
    /// Registers a data set whose files are already stored. Members. The same files under the same name again are
    /// harmless; other files under a taken name are a conflict (a name always means the same bytes).
    /// </summary>
    [Alias("Register")]
    Task<Reply<DatasetRecord>> Register(Caller caller, DatasetRecord dataset);

    /// <summary>Removes a data set from the registry (members); the caller deletes its blobs. The name is never registered again; runs of specs submitted before fail at their worker, saying so.</summary>
    [Alias("Delete")]
    Task<Reply<DatasetRecord>> Delete(Caller caller, string name);

    /// <summary>The data set a spec names, or null. Platform-internal (spec validation, workers).</summary>
    [Alias("Find")]
    Task<DatasetRecord?> Find(string name);
}
