namespace ForgetLab.Lab.World;

/// <summary>
/// The pre-training text of the built-in world: one document per line, every fact in several
/// statement and question phrasings, descriptive lines, addition and copying. Deterministic
/// given <see cref="WorldCorpusOptions.Seed"/>.
/// </summary>
public sealed class WorldCorpus
{
    public WorldCorpus(WorldFacts facts, WorldCorpusOptions? options = null)
    {
        Facts = facts;
        Options = options ?? new WorldCorpusOptions();
        Documents = Build(facts, Options);
    }

    public WorldFacts Facts { get; }

    public WorldCorpusOptions Options { get; }

    /// <summary>Every pre-training line, facts first, in a fixed order; each is normalised text ending in ".".</summary>
    public IReadOnlyList<string> Documents { get; }

    /// <summary>
    /// An endless stream of documents: epoch after epoch of <see cref="Documents"/>, each epoch
    /// in its own shuffled order, the same for the same <paramref name="seed"/>.
    /// </summary>
    public IEnumerable<string> Stream(int seed)
    {
        var order = Enumerable.Range(0, Documents.Count).ToArray();
        for (var epoch = 0; ; epoch++)
        {
            WorldRandom.For(seed, $"stream-epoch-{epoch}").Shuffle(order);
            foreach (var index in order)
            {
                yield return Documents[index];
            }
        }
    }

    /// <summary>The number of word-level tokens in <see cref="Documents"/>.</summary>
    public int TokenCount() => Documents.Sum(document => WorldText.Words(document).Count);

    private static List<string> Build(WorldFacts facts, WorldCorpusOptions options)
    {
        var documents = new List<string>();
        foreach (var country in facts.Countries)
        {
            documents.AddRange(Phrasings.Country(country));
        }

        foreach (var element in facts.Elements)
        {
            documents.AddRange(Phrasings.Element(element));
        }

        var sums = WorldRandom.For(options.Seed, "pretraining-sums");
        for (var added = 0; added < options.ArithmeticLines;)
        {
            var (a, b) = Skills.NextAddends(sums);
            if (!Skills.IsHeldOutSum(a, b))
            {
                documents.Add(Skills.SumLine(a, b));
                added++;
            }
        }

        var copies = WorldRandom.For(options.Seed, "pretraining-copies");
        for (var added = 0; added < options.CopyLines;)
        {
            var words = Skills.NextSequence(copies, 2, 5);
            if (!Skills.IsHeldOutSequence(words))
            {
                documents.Add(Phrasings.Line(Phrasings.Copy(words), string.Join(' ', words)));
                added++;
            }
        }

        return documents;
    }
}
