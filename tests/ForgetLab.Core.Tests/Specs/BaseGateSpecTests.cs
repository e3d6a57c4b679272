using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Specs;

/// <summary><c>eval.base_gate</c>: the spec's own gate and a suite's, and the errors a bad one gets.</summary>
public class BaseGateSpecTests
{
    private const string Gate = "  batch_size: 8\n  base_gate:\n    alpha: 0.01\n    min_known_items: 30\n    suites:\n      capitals_recall: { min_known_items: 5 }\n";

    [Fact]
    public void WithoutABaseGateTheDefaultsApply()
    {
        var eval = SpecText.Parse(SpecText.Valid).Eval;
        Assert.Equal(BaseGate.Default, eval.BaseGate);
        Assert.Empty(eval.SuiteGates);
    }

    [Fact]
    public void TheSpecSetsItsGateAndASuiteOverridesPartOfIt()
    {
        var eval = SpecText.Parse(SpecText.With("  batch_size: 8\n", Gate)).Eval;
        Assert.Equal(new BaseGate(0.01, 30), eval.BaseGate);
        Assert.Equal(new BaseGate(0.01, 5), eval.SuiteGates["capitals_recall"]); // alpha from the spec's gate
    }

    [Theory]
    [InlineData("alpha: 0.01", "alpha: 1", "spec.yaml:38 eval.base_gate.alpha: must be greater than 0 and less than 1")]
    [InlineData("min_known_items: 30", "min_known_items: -1", "spec.yaml:39 eval.base_gate.min_known_items: must be between 0 and 1000000")]
    [InlineData("capitals_recall: {", "capitals_mc: {",
        "spec.yaml:41 eval.base_gate.suites.capitals_mc: 'capitals_mc' is not one of the spec's suites (expected one of: target, capitals_recall)")]
    [InlineData("{ min_known_items: 5 }", "{ min_items: 5 }",
        "spec.yaml:41 eval.base_gate.suites.capitals_recall.min_items: unknown field 'min_items' (expected one of: alpha, min_known_items)")]
    public void ABadGateIsRejectedWithItsLineAndReason(string find, string replace, string expected)
    {
        var yaml = SpecText.With("  batch_size: 8\n", Gate.Replace(find, replace, StringComparison.Ordinal));
        Assert.Equal([expected], SpecText.Errors(yaml));
    }
}
