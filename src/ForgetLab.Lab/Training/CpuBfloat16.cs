using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Whether this CPU multiplies bfloat16 matrices in hardware. libtorch's CPU bfloat16 GEMM runs on oneDNN's AVX512-BF16 or
/// AMX kernels (or on ARM's BF16 extension); without them it falls back to a reference loop that is many times slower
/// than float32 (docs/benchmarks.md, "bfloat16 on a CPU without AVX512-BF16"). A run that asks for
/// <c>train.compute_dtype: bfloat16</c> there would crawl silently, so the lab warns before it trains.
/// </summary>
public static class CpuBfloat16
{
    private const string CpuInfoPath = "/proc/cpuinfo";

    /// <summary>
    /// True when <paramref name="cpuinfo"/> (the text of <c>/proc/cpuinfo</c>) lists a bfloat16 matmul instruction set on every
    /// processor (x86 <c>flags</c>: <c>avx512_bf16</c> or <c>amx_bf16</c>; ARM <c>Features</c>: <c>bf16</c>), false when it lists none
    /// on some processor, null when it has no flags line to tell (not Linux, an unknown layout).
    /// </summary>
    public static bool? HasNativeMatmul(string cpuinfo)
    {
        var seen = false;
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            if (key is not ("flags" or "Features")) continue;
            seen = true;
            var flags = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var native = key == "flags" ? flags.Contains("avx512_bf16") || flags.Contains("amx_bf16") : flags.Contains("bf16");
            if (!native) return false;
        }
        return seen ? true : null;
    }

    /// <summary>
    /// The warning for the runs of <paramref name="recipes"/> that train in bfloat16, when <paramref name="cpuinfo"/> says the
    /// CPU has no bfloat16 matmul; null when no run asks for it, when the CPU has it, or when <paramref name="cpuinfo"/> cannot tell.
    /// </summary>
    public static string? SlowTrainingWarning(IEnumerable<RunRecipe> recipes, string? cpuinfo)
    {
        var slow = recipes.Where(r => r.Train.ComputeDtype == ComputeDtype.BFloat16).Select(r => r.Name).ToList();
        if (slow.Count == 0 || cpuinfo is null || HasNativeMatmul(cpuinfo) is not false) return null;
        var named = slow.Count <= 3 ? string.Join(", ", slow) : $"{string.Join(", ", slow.Take(3))} and {slow.Count - 3} more";
        return $"train.compute_dtype is bfloat16 for {slow.Count} run(s) ({named}), but this CPU has no bfloat16 matrix instructions "
            + "(no avx512_bf16 or amx_bf16 in /proc/cpuinfo): libtorch multiplies bfloat16 there in a slow reference loop, many times slower "
            + "than float32. Set train.compute_dtype: float32 on this machine, or run on a CPU with AVX512-BF16 or a GPU.";
    }

    /// <summary><see cref="SlowTrainingWarning(IEnumerable{RunRecipe}, string?)"/> for the runs <paramref name="spec"/> trains, on this machine's CPU.</summary>
    public static string? SlowTrainingWarning(LabSpec spec) =>
        spec.IsEvaluationOnly ? null : SlowTrainingWarning(GridExpansion.Expand(spec), ReadCpuInfo());

    private static string? ReadCpuInfo()
    {
        try
        {
            return OperatingSystem.IsLinux() && File.Exists(CpuInfoPath) ? File.ReadAllText(CpuInfoPath) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
