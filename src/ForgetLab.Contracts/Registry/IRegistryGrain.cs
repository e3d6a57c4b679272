using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Registry;

/// <summary>
/// The contract a tenant's registries share (models, data sets): named entries whose files are already in Blob storage,
/// seen only by the tenant's own callers, and a name that, once registered, always means the same files, so a spec that
/// names it means the same bytes whenever it runs. Key: the tenant id.
/// </summary>
[Alias("forgetlab.IRegistryGrain`1")]
public interface IRegistryGrain<TEntry> : IGrainWithStringKey
{
    /// <summary>The tenant's entries in name order; another tenant's registry is not found.</summary>
    [Alias("List")]
    Task<Reply<ImmutableArray<TEntry>>> List(Caller caller);

    [Alias("Get")]
    Task<Reply<TEntry>> Get(Caller caller, string name);

    /// <summary>
    /// Registers an entry whose files are already stored. Members. The same files under the same name again are
    /// harmless; other files under a taken name are a conflict (names are never reused).
    /// </summary>
    [Alias("Register")]
    Task<Reply<TEntry>> Register(Caller caller, TEntry entry);

    /// <summary>The entry a spec names, or null. Platform-internal (spec validation, workers).</summary>
    [Alias("Find")]
    Task<TEntry?> Find(string name);
}
