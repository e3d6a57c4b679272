using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Baselines;

/// <summary>
/// A base model's scores on every suite definition it was evaluated on, computed once and reused
/// by every run. Key: "_shared/{model hash}" for bases of the built-in world (every tenant's runs
/// share them), "{tenant}/{model hash}" for a tenant's own model.
/// </summary>
[Alias("forgetlab.IBaselineGrain")]
public interface IBaselineGrain : IGrainWithStringKey
{
    /// <summary>Every recorded entry. Platform-internal (workers); tenants read through <see cref="View"/>.</summary>
    [Alias("Entries")]
    Task<ImmutableArray<BaselineEntry>> Entries();

    /// <summary>
    /// Records an entry unless one for the same suite, version and definition exists: the first
    /// writer wins and every later one gets the stored entry back. Platform-internal (workers).
    /// </summary>
    [Alias("Record")]
    Task<BaselineRecording> Record(BaselineEntry entry);

    /// <summary>The table, for a caller of any tenant when shared, for the owning tenant's callers otherwise.</summary>
    [Alias("View")]
    Task<Reply<BaselineView>> View(Caller caller);
}
