using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Experiments;

/// <summary>
/// The ids of a tenant's experiments, so they can be listed without scanning storage. Key: the
/// tenant id. Experiments register themselves once their spec is stored; it calls no grain.
/// </summary>
[Alias("forgetlab.IExperimentDirectoryGrain")]
public interface IExperimentDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Adds an experiment id; repeating it is harmless. The platform's own call (the experiment grain's).</summary>
    [Alias("Register")]
    Task Register(string experimentId);

    /// <summary>The tenant's experiment ids in submission order; another tenant's caller gets NotFound.</summary>
    [Alias("List")]
    Task<Reply<ImmutableArray<string>>> List(Caller caller);
}
