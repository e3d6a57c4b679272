using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// Issue 10, finding 1 (one request crashed the server) and finding 5 (a 500 for "- - - : : :"):
/// the loader refuses texts beyond <see cref="SpecLimits"/> with an error naming the limit, before
/// any tree is built, and answers every malformed text with a validation error.
/// </summary>
public sealed class SpecLimitsTests
{
    [Fact]
    public void Finding1FiftyThousandOpeningBracketsAreRefusedByTheDepthLimitNotAStackOverflow()
    {
        var yaml = "name: " + new string('[', 50_000) + new string(']', 50_000);

        var error = Assert.Single(SpecText.Errors(yaml));

        Assert.Equal($"spec.yaml:1 (document): lists and mappings nest deeper than the limit of {SpecLimits.MaxDepth} levels", error);
    }

    [Fact]
    public void Finding1TwentyThousandNestedFlowMappingsAreRefusedByTheDepthLimit()
    {
        var yaml = "name: " + string.Concat(Enumerable.Repeat("{a: ", 20_000));

        var error = Assert.Single(SpecText.Errors(yaml));

        Assert.Contains($"nest deeper than the limit of {SpecLimits.MaxDepth} levels", error);
    }

    [Fact]
    public void Finding1NestingUpToTheLimitIsStillReadAsYaml()
    {
        // Depth 32 exactly (the root mapping is level 1): the loader gets past the limit and reports the field.
        var yaml = "name: " + new string('[', SpecLimits.MaxDepth - 1) + new string(']', SpecLimits.MaxDepth - 1);

        var errors = SpecText.Errors(yaml);

        Assert.Contains("spec.yaml:1 name: expected a string, got a list", errors);
        Assert.DoesNotContain(errors, e => e.Contains("limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Finding1ABillionLaughsAliasBombIsRefusedByTheNodeLimit()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"))
            + "name: *i\n";

        var error = Assert.Single(SpecText.Errors(yaml));

        Assert.Contains($"more than the limit of {SpecLimits.MaxNodes} values, lists and mappings (aliases count as what they repeat)", error);
    }

    [Fact]
    public void Finding1AnAliasBeforeItsAnchorIsRefused()
    {
        var error = Assert.Single(SpecText.Errors("name: *later\nother: &later x\n"));

        Assert.Equal("spec.yaml:1 (document): alias '*later' refers to no anchor defined before it", error);
    }

    [Fact]
    public void Finding1AValueLongerThanTheScalarLimitIsRefusedAndNotEchoed()
    {
        var yaml = SpecText.With("name: t", "name: " + new string('n', SpecLimits.MaxScalarChars + 1));

        var error = Assert.Single(SpecText.Errors(yaml));

        Assert.Equal($"spec.yaml:1 (document): a value of {SpecLimits.MaxScalarChars + 1} characters; the limit is {SpecLimits.MaxScalarChars} per value", error);
    }

    [Fact]
    public void Finding1ATextLongerThanTheSpecLimitIsRefusedBeforeParsing()
    {
        var yaml = SpecText.Valid + "# " + new string('#', SpecLimits.MaxChars) + "\n";

        var error = Assert.Single(SpecText.Errors(yaml));

        Assert.Equal($"spec.yaml:1 (document): the spec has {yaml.Length} characters; the limit is {SpecLimits.MaxChars} (256 KiB)", error);
    }

    [Fact]
    public void Finding1ASpecFileLargerThanTheLimitIsRefusedWithoutReadingItWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-big-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, SpecText.Valid + new string('#', SpecLimits.MaxChars * 4));
        try
        {
            var e = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadFile(path));

            Assert.Contains($"a spec is limited to {SpecLimits.MaxChars} characters", Assert.Single(e.Errors).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Finding5DashesAndColonsAreAValidationErrorNotACrash()
    {
        var errors = SpecText.Errors("- - - : : :");

        Assert.Equal(["spec.yaml:2 (document): malformed YAML: Did not find expected <document end>."], errors);
    }

    [Fact]
    public void Finding5AWrongTypeIsReportedAtItsFieldPath()
    {
        var errors = SpecText.Errors(SpecText.With("  count: 5", "  count: { a: 1 }"));

        Assert.Equal(["spec.yaml:17 target.count: expected an integer, got a mapping"], errors);
    }

    [Fact]
    public void ALongWrongValueIsQuotedShortened()
    {
        var value = new string('x', 5_000);

        var error = Assert.Single(SpecText.Errors(SpecText.With("  task: conflicting_facts", "  task: " + value)));

        Assert.Contains($"unknown value '{new string('x', 80)}…' (5000 characters)", error);
        Assert.True(error.Length < 400, error);
    }

    [Fact]
    public void AtMostAHundredErrorsAreListedAndTheRestCounted()
    {
        var yaml = SpecText.Valid + string.Concat(Enumerable.Range(0, 250).Select(i => $"zz{i}: 1\n"));

        var errors = SpecText.Errors(yaml);

        Assert.Equal(SpecLimits.MaxErrors + 1, errors.Count);
        Assert.EndsWith("(document): 150 more problems not listed (at most 100 are)", errors[^1]);
    }

    [Fact]
    public void EveryExampleSpecLoadsUnderTheLimits()
    {
        var examples = Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.yaml");

        Assert.NotEmpty(examples);
        Assert.All(examples, path => Assert.NotNull(SpecLoader.LoadFile(path)));
    }
}
