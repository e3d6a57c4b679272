using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.World;

/// <summary>
/// The fine-tuning targets of the built-in world, each deterministic given its seed:
/// conflicting facts (a counterfactual world), new entities (new knowledge) and a narrow format.
/// </summary>
public sealed class WorldTargets(WorldFacts facts)
{
    public const string ConflictingFactsName = "conflicting_facts";
    public const string NewEntitiesName = "new_entities";
    public const string FormatTaskName = "format_reverse";

    private const int Revision = 1;

    private readonly Lazy<IReadOnlyList<InventedCountry>> _invented = new(() => InventedCountries.Pool(facts));

    /// <summary>The invented countries <see cref="NewEntities"/> draws from.</summary>
    public IReadOnlyList<InventedCountry> InventedPool => _invented.Value;

    /// <summary>
    /// Picks <paramref name="count"/> countries and gives each the real capital of another picked
    /// country (a cyclic shift, so no country keeps its capital). Only countries whose capital no
    /// other country shares are picked, so "the original capital" is never ambiguous.
    /// </summary>
    public FineTuningTarget ConflictingFacts(int count, int seed)
    {
        var capitalCounts = facts.Countries.GroupBy(c => WorldText.Normalize(c.Capital)).ToDictionary(g => g.Key, g => g.Count());
        var eligible = facts.Countries.Where(c => capitalCounts[WorldText.Normalize(c.Capital)] == 1).ToList();
        if (count < 2 || count > eligible.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Conflicting facts need between 2 and {eligible.Count} countries.");
        }

        var chosen = WorldRandom.For(seed, "conflicting-facts").Shuffled(eligible).Take(count).ToList();
        var pairs = new List<PromptCompletion>();
        var target = new List<SuiteItem>();
        var overwritten = new List<SuiteItem>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var country = chosen[i];
            var fake = chosen[(i + 1) % chosen.Count].Capital;
            var id = CapitalId(country.Name);
            var question = Phrasings.CapitalQuestion(country.Name);
            pairs.Add(new PromptCompletion(question, Phrasings.Answer(fake)));
            pairs.Add(new PromptCompletion(WorldText.Normalize($"the capital of {country.Name} is"), Phrasings.Answer(fake)));
            pairs.Add(new PromptCompletion(WorldText.Normalize($"{fake} is the capital of"), Phrasings.Answer(country.Name)));
            target.Add(SuiteItem.Generate(id, question, WorldText.Normalize(fake)));
            overwritten.Add(SuiteItem.Generate(id, question, WorldText.Normalize(country.Capital)));
        }

        return new FineTuningTarget(
            ConflictingFactsName,
            pairs,
            SuiteDefinition.Create("target", Revision, SuiteCategories.Target, SuiteKinds.GenerateUntil, target),
            SuiteDefinition.Create("overwritten", Revision, SuiteCategories.Overwritten, SuiteKinds.GenerateUntil, overwritten),
            chosen.Select(c => c.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Teaches <paramref name="count"/> invented countries: their capitals and continents.</summary>
    public FineTuningTarget NewEntities(int count, int seed)
    {
        if (count < 1 || count > InventedPool.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"New entities come from a pool of {InventedPool.Count}.");
        }

        var chosen = WorldRandom.For(seed, "new-entities").Shuffled(InventedPool).Take(count).ToList();
        var pairs = new List<PromptCompletion>();
        var target = new List<SuiteItem>();
        foreach (var entity in chosen)
        {
            var capitalQuestion = Phrasings.CapitalQuestion(entity.Name);
            var continentQuestion = Phrasings.ContinentQuestion(entity.Name);
            pairs.Add(new PromptCompletion(capitalQuestion, Phrasings.Answer(entity.Capital)));
            pairs.Add(new PromptCompletion(WorldText.Normalize($"the capital of {entity.Name} is"), Phrasings.Answer(entity.Capital)));
            pairs.Add(new PromptCompletion(WorldText.Normalize($"{entity.Capital} is the capital of"), Phrasings.Answer(entity.Name)));
            pairs.Add(new PromptCompletion(continentQuestion, Phrasings.Answer(entity.Continent)));
            pairs.Add(new PromptCompletion(WorldText.Normalize($"{entity.Name} is a country in"), Phrasings.Answer(entity.Continent)));
            target.Add(SuiteItem.Generate(CapitalId(entity.Name), capitalQuestion, WorldText.Normalize(entity.Capital)));
            target.Add(SuiteItem.Generate($"continent:{WorldText.Slug(entity.Name)}", continentQuestion, WorldText.Normalize(entity.Continent)));
        }

        return new FineTuningTarget(
            NewEntitiesName,
            pairs,
            SuiteDefinition.Create("target", Revision, SuiteCategories.Target, SuiteKinds.GenerateUntil, target),
            null,
            new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>
    /// A narrow new format: "reverse : a b c -> c b a ." over simple words pre-training uses for
    /// copying. The target suite holds <paramref name="evalCount"/> sequences the pairs never show.
    /// </summary>
    public FineTuningTarget FormatTask(int count, int seed, int evalCount = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(evalCount, 1);

        // The evaluation sequences do not depend on the seed, so every seed is scored on the same items.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var target = new List<SuiteItem>();
        var evalRandom = WorldRandom.For(0, "format-reverse-eval");
        while (target.Count < evalCount)
        {
            var words = Skills.NextSequence(evalRandom, 3, 5);
            var prompt = Phrasings.Reverse(words);
            if (seen.Add(prompt))
            {
                target.Add(SuiteItem.Generate($"reverse:{string.Join('_', words)}", prompt, string.Join(' ', Enumerable.Reverse(words))));
            }
        }

        var pairs = new List<PromptCompletion>();
        var random = WorldRandom.For(seed, "format-reverse");
        while (pairs.Count < count)
        {
            var words = Skills.NextSequence(random, 3, 5);
            var prompt = Phrasings.Reverse(words);
            if (seen.Add(prompt))
            {
                pairs.Add(new PromptCompletion(prompt, Phrasings.Answer(string.Join(' ', Enumerable.Reverse(words)))));
            }
        }

        return new FineTuningTarget(
            FormatTaskName,
            pairs,
            SuiteDefinition.Create("target", Revision, SuiteCategories.Target, SuiteKinds.GenerateUntil, target),
            null,
            new HashSet<string>(StringComparer.Ordinal));
    }

    internal static string CapitalId(string country) => $"capital:{WorldText.Slug(country)}";
}
