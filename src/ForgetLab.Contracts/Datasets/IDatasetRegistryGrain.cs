using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Registry;

namespace ForgetLab.Contracts.Datasets;

/// <summary>
/// A tenant's registered data sets, which its specs name with <c>{ data_ref: NAME }</c> wherever a data file goes
/// (<c>target.data</c>, <c>target.eval_data</c>, the corpora). Key: the tenant id. The files are in Blob storage; the
/// registry keeps their names, hashes and shapes, under <see cref="IRegistryGrain{TEntry}"/>'s rules; a data set can
/// also be deleted.
/// </summary>
[Alias("forgetlab.IDatasetRegistryGrain")]
public interface IDatasetRegistryGrain : IRegistryGrain<DatasetRecord>
{
    /// <summary>Removes a data set from the registry (members); the caller deletes its blobs. The name is never registered again; runs of specs submitted before fail at their worker, saying so.</summary>
    [Alias("Delete")]
    Task<Reply<DatasetRecord>> Delete(Caller caller, string name);
}
