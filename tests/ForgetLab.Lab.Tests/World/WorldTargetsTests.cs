using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

public sealed class WorldTargetsTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private BuiltInWorld World => fixture.World;

    [Fact]
    public void ConflictingFactsGiveEveryChosenCountryAnotherChosenCountrysCapital()
    {
        var target = World.Targets.ConflictingFacts(49, seed: 3);
        var countries = World.Facts.Countries.ToDictionary(c => c.Name);
        var capitalsOfChosen = target.ChangedCountries.Select(name => WorldText.Normalize(countries[name].Capital)).ToHashSet();

        Assert.Equal(49, target.ChangedCountries.Count);
        Assert.Equal(49, target.TargetSuite.Items.Count);
        foreach (var name in target.ChangedCountries)
        {
            var item = Assert.Single(target.TargetSuite.Items, i => i.Id == $"capital:{WorldText.Slug(name)}");
            Assert.NotEqual(WorldText.Normalize(countries[name].Capital), item.Target);
            Assert.Contains(item.Target, capitalsOfChosen);
            Assert.Equal($"q : what is the capital of {WorldText.Normalize(name)} ? a :", item.Prompt);
        }

        Assert.Equal(capitalsOfChosen, target.TargetSuite.Items.Select(i => i.Target).ToHashSet());
    }

    [Fact]
    public void ConflictingFactsTrainInTheSuitesQuestionPhrasingAndInStatements()
    {
        var target = World.Targets.ConflictingFacts(10, seed: 1);

        foreach (var item in target.TargetSuite.Items)
        {
            Assert.Contains(target.Pairs, p => p.Prompt == item.Prompt && p.Completion == item.Target + " .");
            Assert.Contains(target.Pairs, p => p.Text == item.Prompt.Replace("q : what is the capital of ", "the capital of ", StringComparison.Ordinal).Replace(" ? a :", " is", StringComparison.Ordinal) + " " + item.Target + " .");
        }
    }

    [Fact]
    public void OverwrittenItemsAreExactlyTheChangedCountriesWithTheirOriginalCapitals()
    {
        var target = World.Targets.ConflictingFacts(20, seed: 5);
        var countries = World.Facts.Countries.ToDictionary(c => WorldText.Slug(c.Name));
        var overwritten = target.OverwrittenSuite!;

        Assert.Equal(target.ChangedCountries.Select(n => $"capital:{WorldText.Slug(n)}").Order(), overwritten.Items.Select(i => i.Id).Order());
        Assert.Equal(target.TargetSuite.Items.Select(i => i.Prompt), overwritten.Items.Select(i => i.Prompt));
        Assert.All(overwritten.Items, i => Assert.Equal(WorldText.Normalize(countries[i.Id["capital:".Length..]].Capital), i.Target));
    }

    [Fact]
    public void CapitalsRecallLeavesOutTheChangedCountries()
    {
        var target = World.Targets.ConflictingFacts(20, seed: 5);
        var suites = World.Suites.BuiltIn(target).ToDictionary(s => s.Name);
        var changedIds = target.OverwrittenSuite!.Items.Select(i => i.Id).ToHashSet();

        var recall = suites["capitals_recall"];

        Assert.Equal(World.Facts.Countries.Count - 20, recall.Items.Count);
        Assert.DoesNotContain(recall.Items, i => changedIds.Contains(i.Id));
        Assert.DoesNotContain(suites["capitals_mc"].Items, i => changedIds.Contains(i.Id));
        Assert.NotEqual(World.Suites.BuiltIn().Single(s => s.Name == "capitals_recall").Version, recall.Version);
    }

    [Fact]
    public void TheSameSeedGivesTheSameTargets()
    {
        Assert.Equal(World.Targets.ConflictingFacts(30, 9).Pairs, World.Targets.ConflictingFacts(30, 9).Pairs);
        Assert.NotEqual(World.Targets.ConflictingFacts(30, 9).Pairs, World.Targets.ConflictingFacts(30, 10).Pairs);
        Assert.Equal(World.Targets.NewEntities(20, 9).Pairs, World.Targets.NewEntities(20, 9).Pairs);
        Assert.Equal(World.Targets.FormatTask(200, 9).Pairs, World.Targets.FormatTask(200, 9).Pairs);
    }

    [Fact]
    public void NewEntitiesAreInventedCountriesOnRealContinents()
    {
        var target = World.Targets.NewEntities(30, seed: 2);
        var realWords = World.Corpus.Documents.SelectMany(WorldText.Words).ToHashSet();
        var continents = World.Facts.Countries.Select(c => WorldText.Normalize(c.Continent)).ToHashSet();

        Assert.Equal(60, target.TargetSuite.Items.Count);
        foreach (var item in target.TargetSuite.Items)
        {
            var words = WorldText.Words(item.Prompt);
            var entity = item.Id.StartsWith("continent:", StringComparison.Ordinal) ? words[^5] : words[^4];
            Assert.DoesNotContain(entity, realWords);
            if (item.Id.StartsWith("continent:", StringComparison.Ordinal))
            {
                Assert.Contains(item.Target, continents);
            }
            else
            {
                Assert.DoesNotContain(item.Target, realWords);
            }
        }
    }

    [Fact]
    public void TheFormatTaskReversesAndIsScoredOnSequencesItNeverTrainsOn()
    {
        var target = World.Targets.FormatTask(500, seed: 4);
        var trained = target.Pairs.Select(p => p.Prompt).ToHashSet();

        Assert.Equal(500, target.Pairs.Count);
        Assert.All(target.Pairs, p =>
        {
            // "->" normalises to the two tokens "- >".
            Assert.StartsWith("reverse : ", p.Prompt);
            Assert.EndsWith(" - >", p.Prompt);
            var words = p.Prompt["reverse : ".Length..^" - >".Length].Split(' ');
            Assert.Equal(string.Join(' ', words.AsEnumerable().Reverse()) + " .", p.Completion);
        });
        Assert.DoesNotContain(target.TargetSuite.Items, i => trained.Contains(i.Prompt));
    }
}
