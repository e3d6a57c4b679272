using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Models;

namespace ForgetLab.Dashboard.Components;

/// <summary>A run's memory need as the run and experiment pages word it: what the pool places it with, and where that came from.</summary>
public static class MemoryText
{
    public static string Line(RunMemory memory) => memory switch
    {
        { DeclaredBytes: { } declared, EstimateBytes: not null } =>
            $"{RunMemoryEstimate.Size(declared)} per device, declared (resources.memory_gb), which placement uses; the estimate: {memory.Basis}",
        { DeclaredBytes: { } declared } => $"{RunMemoryEstimate.Size(declared)} per device, declared (resources.memory_gb); {memory.Basis}",
        { EstimateBytes: not null } => $"estimated {memory.Basis}",
        _ => memory.Basis,
    };

    public static string Size(long? bytes) => bytes is { } b ? RunMemoryEstimate.Size(b) : "–";
}
