using ForgetLab.Lab.Suites;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

public sealed class WorldSuitesTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private BuiltInWorld World => fixture.World;

    [Fact]
    public void TheVocabularyCoversTheCorpusEverySuiteAndEveryTarget()
    {
        var tokenizer = fixture.Tokenizer;
        var targets = new[] { World.Targets.ConflictingFacts(49, 11), World.Targets.NewEntities(40, 11), World.Targets.FormatTask(300, 11) };
        var texts = World.Corpus.Documents
            .Concat(targets.SelectMany(t => t.Pairs.Select(p => p.Text)))
            .Concat(targets.SelectMany(t => World.Suites.BuiltIn(t)).SelectMany(s => s.Items).SelectMany(i => i.Choices.Append(i.Prompt).Append(i.Target)))
            .Concat(new WorldCorpus(World.Facts, new WorldCorpusOptions(Seed: 99)).Documents);

        var unknown = texts.Where(t => tokenizer.Encode(t).Contains(tokenizer.UnkId)).Take(5).ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void EveryBuiltInSuiteIsThereWithItsKind()
    {
        var suites = World.Suites.BuiltIn(World.Targets.ConflictingFacts(10, 0)).ToDictionary(s => s.Name, s => s.Kind);

        Assert.Equal(SuiteKinds.GenerateUntil, suites["target"]);
        Assert.Equal(SuiteKinds.GenerateUntil, suites["overwritten"]);
        Assert.Equal(SuiteKinds.GenerateUntil, suites["capitals_recall"]);
        Assert.Equal(SuiteKinds.MultipleChoice, suites["capitals_mc"]);
        Assert.Equal(SuiteKinds.MultipleChoice, suites["continents_mc"]);
        Assert.Equal(SuiteKinds.MultipleChoice, suites["currencies_mc"]);
        Assert.Equal(SuiteKinds.MultipleChoice, suites["languages_mc"]);
        Assert.Equal(SuiteKinds.GenerateUntil, suites["element_symbols"]);
        Assert.Equal(SuiteKinds.GenerateUntil, suites["element_numbers"]);
        Assert.Equal(SuiteKinds.GenerateUntil, suites["arithmetic"]);
        Assert.Equal(SuiteKinds.LoglikelihoodRolling, suites["text_perplexity"]);
        Assert.Equal(SuiteKinds.KlToBase, suites["kl_to_base"]);
    }

    [Fact]
    public void ItemIdsAreUniqueAndReadable()
    {
        var suites = World.Suites.BuiltIn();

        Assert.All(suites, s => Assert.Equal(s.Items.Count, s.Items.Select(i => i.Id).Distinct().Count()));
        var peru = Assert.Single(suites.Single(s => s.Name == "capitals_recall").Items, i => i.Id == "capital:peru");
        Assert.Equal(("q : what is the capital of peru ? a :", "lima"), (peru.Prompt, peru.Target));
        Assert.Contains(suites.Single(s => s.Name == "element_numbers").Items, i => i is { Id: "number:iron", Target: "2 6" });
    }

    [Fact]
    public void MultipleChoiceItemsHaveFourDistinctChoicesWithTheRightGold()
    {
        var countries = World.Facts.Countries.ToDictionary(c => WorldText.Slug(c.Name));
        foreach (var suite in World.Suites.BuiltIn().Where(s => s.Kind == SuiteKinds.MultipleChoice))
        {
            Assert.All(suite.Items, item =>
            {
                Assert.Equal(4, item.Choices.Distinct().Count());
                Assert.Equal(item.Target, item.Choices[item.Gold]);
            });
        }

        var capitals = World.Suites.CapitalsMc(new HashSet<string>());
        Assert.All(capitals.Items, i => Assert.Equal(WorldText.Normalize(countries[i.Id["capital:".Length..]].Capital), i.Target));
        Assert.Contains(capitals.Items, i => i.Gold != 0);
        Assert.Contains(capitals.Items, i => i.Gold == 0);
    }

    [Fact]
    public void LanguageDistractorsAreNotSpokenInTheCountry()
    {
        var countries = World.Facts.Countries.ToDictionary(c => WorldText.Slug(c.Name));

        foreach (var item in World.Suites.LanguagesMc(new HashSet<string>()).Items)
        {
            var spoken = countries[item.Id["language:".Length..]].Languages.Select(WorldText.Normalize).ToHashSet();
            Assert.Single(item.Choices, spoken.Contains);
        }
    }

    [Fact]
    public void ArithmeticEvalItemsAreNotInThePreTrainingSetForAnySeed()
    {
        var arithmetic = World.Suites.Arithmetic();
        var evalLines = arithmetic.Items.Select(i => $"{i.Prompt} {i.Target} .").ToHashSet();
        var evalPairs = arithmetic.Items.Select(i => string.Join('|', i.Prompt.Split(" + ").Select(p => p.Replace(" =", "", StringComparison.Ordinal)).Order())).ToHashSet();

        Assert.Equal(WorldSuites.ArithmeticItems, arithmetic.Items.Count);
        foreach (var seed in new[] { 0, 1, 42 })
        {
            var corpus = new WorldCorpus(World.Facts, new WorldCorpusOptions(Seed: seed, ArithmeticLines: 20_000));
            var sums = corpus.Documents.Where(d => d.Contains(" = ", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(sums, evalLines.Contains);
            Assert.DoesNotContain(sums, d => evalPairs.Contains(string.Join('|', d.Split(" = ")[0].Split(" + ").Order())));
        }
    }

    [Fact]
    public void CopyingEvalItemsAreNotInThePreTrainingSet()
    {
        var documents = World.Corpus.Documents.ToHashSet();

        Assert.DoesNotContain(World.Suites.Copying().Items, i => documents.Contains($"{i.Prompt} {i.Target} ."));
    }

    [Fact]
    public void HeldOutTextUsesOnlyPreTrainingWordsInPhrasingsItNeverSaw()
    {
        var documents = World.Corpus.Documents.ToHashSet();
        var words = documents.SelectMany(WorldText.Words).ToHashSet();
        var text = World.Suites.TextPerplexity();

        Assert.True(text.Items.Count >= 300);
        Assert.All(text.Items, i =>
        {
            Assert.DoesNotContain(i.Target, documents);
            Assert.All(WorldText.Words(i.Target), w => Assert.Contains(w, words));
        });
    }

    [Fact]
    public void SuitesDoNotDependOnTheCorpusSeed()
    {
        var other = new WorldSuites(new WorldCorpus(World.Facts, new WorldCorpusOptions(Seed: 123)));

        Assert.Equal(World.Suites.BuiltIn().Select(s => s.Version), other.BuiltIn().Select(s => s.Version));
    }
}
