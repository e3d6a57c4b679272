namespace ForgetLab.Core.Models;

/// <summary>Bounds on a safetensors header, as the safetensors library sets them (100,000,000 bytes), and on its JSON nesting.</summary>
public sealed record SafetensorsLimits(long MaxHeaderBytes = 100_000_000, int MaxJsonDepth = 32)
{
    public static SafetensorsLimits Default { get; } = new();
}
