using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

public sealed class WorldFactsTests
{
    [Fact]
    public void DataFilesLoadWithAtLeast190CountriesWithCapitalsAnd118Elements()
    {
        var facts = WorldFacts.Load();

        Assert.True(facts.Countries.Count >= 190, $"{facts.Countries.Count} countries");
        Assert.All(facts.Countries, c => Assert.False(string.IsNullOrWhiteSpace(c.Capital)));
        Assert.Equal(118, facts.Elements.Count);
        Assert.Equal(Enumerable.Range(1, 118), facts.Elements.Select(e => e.Number));
        Assert.Contains(facts.Countries, c => c is { Name: "France", Capital: "Paris", Continent: "Europe", Currency: "EUR" } && c.Languages.Contains("French"));
        Assert.Contains(facts.Elements, e => e is { Name: "Iron", Symbol: "Fe", Number: 26 });
    }

    [Fact]
    public void NoNameContainsTheFullStopThatEndsGeneration()
    {
        var facts = WorldFacts.Load();

        var names = facts.Countries.SelectMany(c => new[] { c.Name, c.Capital, c.Continent, c.Currency }.Concat(c.Languages))
            .Concat(facts.Elements.SelectMany(e => new[] { e.Name, e.Symbol }));
        Assert.DoesNotContain(names, name => name.Contains('.'));
    }

    [Fact]
    public void AMissingDataFolderSaysWhereItLooked()
    {
        var missing = Path.Combine(Path.GetTempPath(), "forgetlab-no-such-folder");

        var error = Assert.Throws<FileNotFoundException>(() => WorldFacts.Load(missing));
        Assert.Contains(missing, error.Message);
    }
}
