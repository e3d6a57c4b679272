using ForgetLab.Contracts.Registry;

namespace ForgetLab.Contracts.Models;

/// <summary>
/// A tenant's registered base models and PEFT adapters, which its specs name with <c>base: { model_ref: NAME }</c>
/// (and <c>evaluate: [{ model_ref: NAME }]</c>). Key: the tenant id. The files are in Blob storage; the registry keeps
/// their names and hashes, under <see cref="IRegistryGrain{TEntry}"/>'s rules.
/// </summary>
[Alias("forgetlab.IModelRegistryGrain")]
public interface IModelRegistryGrain : IRegistryGrain<ModelRecord>;
