using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class ResourcesSpecTests
{
    [Fact]
    public void ASpecWithoutResourcesDeclaresNoMemory() =>
        Assert.Null(SpecText.Parse(SpecText.Valid).Resources.MemoryBytes);

    [Fact]
    public void DeclaredMemoryGbBecomesBytesPerDevice()
    {
        var spec = SpecText.Parse(SpecText.Valid + "resources:\n  memory_gb: 1.5\n");
        Assert.Equal(1.5, spec.Resources.MemoryGb);
        Assert.Equal(3L << 29, spec.Resources.MemoryBytes);
    }

    [Theory]
    [InlineData("resources:\n  memory_gb: 0\n", "resources.memory_gb: must be greater than 0 and at most 65536 (GiB per device)")]
    [InlineData("resources:\n  memory_gb: lots\n", "resources.memory_gb: expected a number, got 'lots'")]
    [InlineData("resources:\n  memroy_gb: 4\n", "resources.memroy_gb: unknown field 'memroy_gb', did you mean 'memory_gb'? (expected one of: memory_gb)")]
    [InlineData("resources: 4\n", "resources: expected a mapping, got '4'")]
    public void BadResourcesAreReportedAtTheirField(string resources, string message) =>
        Assert.Contains(SpecText.Errors(SpecText.Valid + resources), e => e.EndsWith(message, StringComparison.Ordinal));
}
