namespace ForgetLab.Lab.World;

/// <summary>
/// A fixed pool of pronounceable invented countries. The pool does not depend on any seed, so the
/// vocabulary can hold every name in advance; a target only chooses which of them it teaches.
/// </summary>
internal static class InventedCountries
{
    public const int PoolSize = 100;

    private static readonly string[] Consonants = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u"];
    private static readonly string[] CountryEndings = ["ia", "land", "stan", "ara", "ovia"];
    private static readonly string[] CapitalEndings = ["", "n", "r", "l"];

    public static IReadOnlyList<InventedCountry> Pool(WorldFacts facts)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in facts.Countries.SelectMany(Phrasings.Country).Concat(facts.Elements.SelectMany(Phrasings.Element)))
        {
            taken.UnionWith(WorldText.Words(line));
        }

        taken.UnionWith(Skills.Words);
        var continents = facts.Countries.Select(c => c.Continent).Distinct().Order(StringComparer.Ordinal).ToList();
        var random = WorldRandom.For(0, "invented-countries");
        var pool = new List<InventedCountry>(PoolSize);
        while (pool.Count < PoolSize)
        {
            var name = Syllables(random, 2) + random.Pick(CountryEndings);
            var capital = Syllables(random, random.Next(2, 4)) + random.Pick(CapitalEndings);
            if (name != capital && taken.Add(name) && taken.Add(capital))
            {
                pool.Add(new InventedCountry(name, capital, random.Pick(continents)));
            }
        }

        return pool;
    }

    private static string Syllables(WorldRandom random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => random.Pick(Consonants) + random.Pick(Vowels)));
}
