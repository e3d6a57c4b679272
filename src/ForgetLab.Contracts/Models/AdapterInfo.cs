using System.Collections.Immutable;

namespace ForgetLab.Contracts.Models;

/// <summary>
/// A registered PEFT LoRA adapter (Core's <c>PeftAdapterCheck</c>): the registered base model it was checked against and goes on
/// (<see cref="BaseModel"/>), PEFT's <c>peft_type</c>, <c>r</c>, <c>lora_alpha</c>, <c>use_rslora</c> and <c>target_modules</c>,
/// the projections it adapts, its parameters and the dtype of its tensors on disk.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.AdapterInfo")]
public sealed record AdapterInfo(
    [property: Id(0)] string BaseModel,
    [property: Id(1)] string PeftType,
    [property: Id(2)] int Rank,
    [property: Id(3)] double Alpha,
    [property: Id(4)] bool UseRsLora,
    [property: Id(5)] ImmutableArray<string> TargetModules,
    [property: Id(6)] int AdaptedProjections,
    [property: Id(7)] long Parameters,
    [property: Id(8)] string Dtype)
{
    public static AdapterInfo Of(string baseModel, Core.Models.PeftAdapterSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(baseModel, s.PeftType, s.Rank, s.Alpha, s.UseRsLora, [.. s.TargetModules], s.AdaptedProjections, s.Parameters, s.Dtype);
    }
}
