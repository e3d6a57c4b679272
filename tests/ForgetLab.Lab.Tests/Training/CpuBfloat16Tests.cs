using ForgetLab.Core.Specs;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Tests.Training;

/// <summary>The warning a bfloat16 run gets on a CPU without bfloat16 matmul, read from injected /proc/cpuinfo texts.</summary>
public class CpuBfloat16Tests
{
    // This machine's own flags line (AMD EPYC, Zen 3: AVX2, no AVX-512), shortened.
    private const string Zen3 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni vaes\n\n"
        + "processor\t: 1\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni vaes\n";
    private const string SapphireRapids = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_bf16 amx_bf16 amx_tile\n";
    private const string Avx512WithoutBf16 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512vl avx512_vnni\n";
    private const string Neoverse = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics bf16 i8mm\n";

    private static RunRecipe Recipe(string name, ComputeDtype dtype) => new(name, MethodSpec.Full, new TrainSpec { ComputeDtype = dtype }, 1);

    [Fact]
    public void AnAvx2OnlyCpuHasNoNativeBfloat16Matmul() => Assert.False(CpuBfloat16.HasNativeMatmul(Zen3));

    [Fact]
    public void Avx512WithoutItsBf16ExtensionIsNotEnough() => Assert.False(CpuBfloat16.HasNativeMatmul(Avx512WithoutBf16));

    [Fact]
    public void Avx512Bf16OrArmBf16Counts()
    {
        Assert.True(CpuBfloat16.HasNativeMatmul(SapphireRapids));
        Assert.True(CpuBfloat16.HasNativeMatmul(Neoverse));
    }

    [Fact]
    public void OneProcessorWithoutItMeansNo() => Assert.False(CpuBfloat16.HasNativeMatmul(SapphireRapids + "\n" + Avx512WithoutBf16));

    [Fact]
    public void ATextWithoutFlagsCannotTell() => Assert.Null(CpuBfloat16.HasNativeMatmul("processor\t: 0\nmodel name\t: something\n"));

    [Fact]
    public void ABfloat16RunOnAnAvx2CpuIsWarnedAboutByName()
    {
        var warning = CpuBfloat16.SlowTrainingWarning([Recipe("fp32-a", ComputeDtype.Float32), Recipe("bf16-a", ComputeDtype.BFloat16)], Zen3);
        Assert.NotNull(warning);
        Assert.Contains("1 run(s) (bf16-a)", warning);
        Assert.DoesNotContain("fp32-a", warning);
        Assert.Contains("avx512_bf16", warning);
        Assert.Contains("compute_dtype: float32", warning);
    }

    [Fact]
    public void ManyRunsAreCountedNotAllListed()
    {
        var warning = CpuBfloat16.SlowTrainingWarning(Enumerable.Range(1, 5).Select(i => Recipe($"bf16-{i}", ComputeDtype.BFloat16)), Zen3);
        Assert.Contains("5 run(s) (bf16-1, bf16-2, bf16-3 and 2 more)", warning);
    }

    [Fact]
    public void NoWarningWhereItIsFastOrNotAskedForOrUnknown()
    {
        Assert.Null(CpuBfloat16.SlowTrainingWarning([Recipe("bf16", ComputeDtype.BFloat16)], SapphireRapids));
        Assert.Null(CpuBfloat16.SlowTrainingWarning([Recipe("fp32", ComputeDtype.Float32)], Zen3));
        Assert.Null(CpuBfloat16.SlowTrainingWarning([Recipe("bf16", ComputeDtype.BFloat16)], null));
        Assert.Null(CpuBfloat16.SlowTrainingWarning([Recipe("bf16", ComputeDtype.BFloat16)], "no flags here"));
    }
}
