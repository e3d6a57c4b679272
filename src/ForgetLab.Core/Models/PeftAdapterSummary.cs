namespace ForgetLab.Core.Models;

/// <summary>
/// What a checked PEFT LoRA adapter is (<see cref="PeftAdapterCheck"/>): PEFT's <c>peft_type</c>, its rank and alpha, whether
/// it scales by alpha/√r (rsLoRA), the module names it targets as PEFT saved them, the projections (layer × module) it adapts,
/// its parameters, and the dtype of its tensors on disk.
/// </summary>
public sealed record PeftAdapterSummary(
    string PeftType,
    int Rank,
    double Alpha,
    bool UseRsLora,
    IReadOnlyList<string> TargetModules,
    int AdaptedProjections,
    long Parameters,
    string Dtype)
{
    /// <summary>PEFT's scaling of the update B·A: alpha/r, or alpha/√r with rsLoRA.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;
}
