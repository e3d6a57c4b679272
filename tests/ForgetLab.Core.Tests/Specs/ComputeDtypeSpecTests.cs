using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary><c>train.compute_dtype</c> and <c>train.gradient_checkpointing</c>: defaults, a run's own value, and the errors a bad one gets.</summary>
public class ComputeDtypeSpecTests
{
    [Fact]
    public void RunsTrainInFloat32WithoutCheckpointingUnlessTheSpecSaysOtherwise()
    {
        var train = SpecText.Parse(SpecText.Valid).Train;
        Assert.Equal(ComputeDtype.Float32, train.ComputeDtype);
        Assert.False(train.GradientCheckpointing);
    }

    [Fact]
    public void TheSpecChoosesBfloat16AndCheckpointing()
    {
        var train = SpecText.Parse(SpecText.With("  checkpoint_every: 10\n", "  checkpoint_every: 10\n  compute_dtype: bfloat16\n  gradient_checkpointing: true\n")).Train;
        Assert.Equal(ComputeDtype.BFloat16, train.ComputeDtype);
        Assert.True(train.GradientCheckpointing);
    }

    [Fact]
    public void AVariantTrainsInBfloat16BesideTheFloat32Runs()
    {
        var yaml = SpecText.Valid[..SpecText.Valid.IndexOf("grid:", StringComparison.Ordinal)]
            + "grid:\n  method: [full]\nvariants:\n  - name: fp32\n  - name: bf16\n    train:\n      compute_dtype: bfloat16\n";
        var variants = SpecText.Parse(yaml).Variants;
        Assert.Equal([ComputeDtype.Float32, ComputeDtype.BFloat16], variants.Select(v => v.Train!.ComputeDtype));
    }

    [Theory]
    [InlineData("  compute_dtype: float16\n", "spec.yaml:25 train.compute_dtype: unknown value 'float16', did you mean 'bfloat16'? (expected one of: float32, bfloat16)")]
    [InlineData("  gradient_checkpointing: sometimes\n", "spec.yaml:25 train.gradient_checkpointing: expected true or false, got 'sometimes'")]
    public void ABadValueIsAnErrorAtItsField(string line, string expected)
    {
        var errors = SpecText.Errors(SpecText.With("  checkpoint_every: 10\n", "  checkpoint_every: 10\n" + line));
        Assert.Equal([expected], errors);
    }
}
