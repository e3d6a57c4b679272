using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

// SpecText.Valid: four runs of 20 steps, a checkpoint every 10 steps.
public class SearchSpecTests
{
    [Fact]
    public void ASpecWithoutSearchTrainsEveryRunToItsEnd() =>
        Assert.Null(SpecText.Parse(SpecText.Valid).Search);

    [Fact]
    public void AHalvingSearchKeepsItsRungsAndKeep()
    {
        var search = SpecText.Parse(SpecText.Valid + "search: { kind: halving, rungs: [10], keep: 2 }\n").Search!;
        Assert.Equal(SearchSpec.Halving, search.Kind);
        Assert.Equal([10], search.Rungs);
        Assert.Equal(2, search.Keep);
    }

    [Fact]
    public void KeepDefaultsToOneRun() =>
        Assert.Equal(1, SpecText.Parse(SpecText.Valid + "search: { kind: halving, rungs: [10] }\n").Search!.Keep);

    [Theory]
    [InlineData("search: { kind: asha, rungs: [10] }\n", "search.kind: unknown value 'asha' (expected one of: halving)")]
    [InlineData("search: { rungs: [10] }\n", "search.kind: required field is missing")]
    [InlineData("search: { kind: halving }\n", "search.rungs: required field is missing")]
    [InlineData("search: { kind: halving, rungs: [] }\n", "search.rungs: must not be empty")]
    [InlineData("search: { kind: halving, rungs: [10, 10] }\n", "search.rungs[1]: must be greater than the rung before it (10); rungs are strictly ascending steps")]
    [InlineData("search: { kind: halving, rungs: [20] }\n", "search.rungs[0]: step 20 is not below the last step (20) of run 'full-lr1e-4-steps20-seed1'; a rung must come before a run ends (train.steps)")]
    [InlineData("search: { kind: halving, rungs: [5] }\n", "search.rungs[0]: step 5 is not a checkpoint step of run 'full-lr1e-4-steps20-seed1' (train.checkpoint_every: 10)")]
    [InlineData("search: { kind: halving, rungs: [10], keep: 0 }\n", "search.keep: must be between 1 and 1000")]
    [InlineData("search: { kind: halving, rungs: [10], keep: 4 }\n", "search.keep: must be less than the grid's 4 runs, or the search can never stop one")]
    [InlineData("search: { kind: halving, rungs: [10], keep: 0.5 }\n", "search.keep: expected an integer, got '0.5'")]
    [InlineData("search: { kind: halving, rungs: [10], kepp: 1 }\n", "search.kepp: unknown field 'kepp', did you mean 'keep'? (expected one of: kind, rungs, keep)")]
    [InlineData("search: halving\n", "search: expected a mapping, got 'halving'")]
    public void BadSearchesAreReportedAtTheirField(string search, string message) =>
        Assert.Contains(SpecText.Errors(SpecText.Valid + search), e => e.EndsWith(message, StringComparison.Ordinal));
}
