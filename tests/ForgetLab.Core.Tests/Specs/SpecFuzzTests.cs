using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// Property-based fuzz of the spec loader (issue 10): whatever the text, it returns a spec or
/// throws <see cref="SpecValidationException"/> with a bounded list of short messages — never
/// another exception, never a crash. Drawn from a fixed seed (<see cref="FixedSample"/>); a failure names the seed and input.
/// </summary>
public sealed class SpecFuzzTests
{
    [Fact]
    public void HostileTextsAreAlwaysRefusedWithValidationErrors() =>
        HostileSpecs.Invalid.Check(3_000, yaml =>
        {
            var e = Assert.Throws<SpecValidationException>(() => SpecLoader.Parse(yaml, "spec.yaml", Path.GetTempPath()));
            AssertBounded(e);
        });

    [Fact]
    public void MutatedSpecsEitherLoadOrGiveValidationErrors() =>
        HostileSpecs.Mutations.Check(3_000, yaml =>
        {
            try
            {
                Assert.NotNull(SpecLoader.Parse(yaml, "spec.yaml", Path.GetTempPath()));
            }
            catch (SpecValidationException e)
            {
                AssertBounded(e);
            }
        });

    private static void AssertBounded(SpecValidationException e)
    {
        Assert.InRange(e.Errors.Count, 1, SpecLimits.MaxErrors + 1);
        Assert.All(e.Errors, error =>
        {
            Assert.True(error.Line >= 0, error.ToString());
            Assert.InRange(error.Message.Length, 1, 1_000);
        });
    }
}
