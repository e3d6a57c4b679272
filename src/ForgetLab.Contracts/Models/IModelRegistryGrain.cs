using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Models;

/// <summary>
/// A tenant's registered base models, which its specs name with <c>base: { model_ref: NAME }</c>.
/// Key: the tenant id. The files are in Blob storage; the registry keeps their names and hashes.
/// </summary>
[Alias("forgetlab.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<Reply<ImmutableArray<ModelRecord>>> List(Caller caller);

    [Alias("Get")]
    Task<Reply<ModelRecord>> Get(Caller caller, string name);

    /// <summary>
    /// Registers a model whose files are already stored. Members. The same files under the same name
    /// again are harmless; other files under a taken name are a conflict (names are never reused).
    /// </summary>
    [Alias("Register")]
    Task<Reply<ModelRecord>> Register(Caller caller, ModelRecord model);

    /// <summary>The model a spec names, or null. Platform-internal (spec validation, workers).</summary>
    [Alias("Find")]
    Task<ModelRecord?> Find(string name);
}
