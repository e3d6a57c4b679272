using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.World;

public sealed class WorldCorpusTests(WorldFixture fixture, ITestOutputHelper output) : IClassFixture<WorldFixture>
{
    private WorldCorpus Corpus => fixture.World.Corpus;

    [Fact]
    public void EveryFactAppearsInStatementAndQuestionForms()
    {
        var documents = Corpus.Documents.ToHashSet();

        Assert.Contains("the capital of france is paris .", documents);
        Assert.Contains("paris is the capital of france .", documents);
        Assert.Contains("q : what is the capital of france ? a : paris .", documents);
        Assert.Contains("france is in europe .", documents);
        Assert.Contains("the currency of france is eur .", documents);
        Assert.Contains("people in france speak french .", documents);
        Assert.Contains("the symbol of iron is fe .", documents);
        Assert.Contains("the atomic number of iron is 2 6 .", documents);
        Assert.Contains(documents, d => d.StartsWith("copy : ", StringComparison.Ordinal));
        Assert.Contains(documents, d => d.Contains(" + ", StringComparison.Ordinal) && d.Contains(" = ", StringComparison.Ordinal));
    }

    [Fact]
    public void SumsInTheCorpusAreCorrectDigitByDigit()
    {
        foreach (var document in Corpus.Documents.Where(d => d.Contains(" = ", StringComparison.Ordinal)))
        {
            var parts = document.TrimEnd('.', ' ').Split([" + ", " = "], StringSplitOptions.None);
            var numbers = parts.Select(p => int.Parse(p.Replace(" ", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(numbers[0] + numbers[1], numbers[2]);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameCorpusAndStream()
    {
        var facts = fixture.World.Facts;
        var a = new WorldCorpus(facts, new WorldCorpusOptions(Seed: 7));
        var b = new WorldCorpus(facts, new WorldCorpusOptions(Seed: 7));
        var c = new WorldCorpus(facts, new WorldCorpusOptions(Seed: 8));

        Assert.Equal(a.Documents, b.Documents);
        Assert.Equal(a.Stream(3).Take(5000), b.Stream(3).Take(5000));
        Assert.NotEqual(a.Documents, c.Documents);
        Assert.NotEqual(a.Stream(3).Take(50), a.Stream(4).Take(50));
    }

    [Fact]
    public void TheStreamGoesOnPastOneEpochInANewOrder()
    {
        var count = Corpus.Documents.Count;

        var twoEpochs = Corpus.Stream(1).Take(2 * count).ToList();

        Assert.Equal(Corpus.Documents.Order(StringComparer.Ordinal), twoEpochs.Take(count).Order(StringComparer.Ordinal));
        Assert.NotEqual(twoEpochs.Take(count), twoEpochs.Skip(count));
    }

    [Fact]
    public void TheCorpusAndVocabularyStaySmall()
    {
        var tokens = Corpus.TokenCount();
        var vocab = fixture.Tokenizer.VocabSize;
        output.WriteLine($"documents {Corpus.Documents.Count}, tokens {tokens}, vocabulary {vocab}");

        Assert.InRange(vocab, 500, 4000);
        Assert.InRange(tokens, 50_000, 400_000);
    }
}
