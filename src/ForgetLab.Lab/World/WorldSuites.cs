using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.World;

/// <summary>
/// The built-in retention suites over the world's facts, skills and text. Items do not depend on
/// the corpus seed (distractors are chosen by a hash of the item id), so one baseline serves
/// every run; suites over countries leave out the countries a target changed.
/// </summary>
public sealed class WorldSuites(WorldCorpus corpus)
{
    public const int Revision = 1;

    public const int ArithmeticItems = 200;

    public const int CopyingItems = 100;

    public const int KlPrompts = 100;

    private WorldFacts Facts => corpus.Facts;

    /// <summary>
    /// Every built-in suite, in a fixed order: the target's own suites first when a target is
    /// given (target, then overwritten for conflicting facts), then the retention suites.
    /// </summary>
    public IReadOnlyList<SuiteDefinition> BuiltIn(FineTuningTarget? target = null)
    {
        var changed = target?.ChangedCountries ?? new HashSet<string>(StringComparer.Ordinal);
        var suites = new List<SuiteDefinition>();
        if (target is not null)
        {
            suites.Add(target.TargetSuite);
            if (target.OverwrittenSuite is not null)
            {
                suites.Add(target.OverwrittenSuite);
            }
        }

        suites.Add(CapitalsRecall(changed));
        suites.Add(CapitalsMc(changed));
        suites.Add(ContinentsMc(changed));
        suites.Add(CurrenciesMc(changed));
        suites.Add(LanguagesMc(changed));
        suites.Add(ElementSymbols());
        suites.Add(ElementNumbers());
        suites.Add(Arithmetic());
        suites.Add(Copying());
        suites.Add(TextPerplexity());
        suites.Add(KlToBase());
        return suites;
    }

    public SuiteDefinition CapitalsRecall(IReadOnlySet<string> excluded) => Generate("capitals_recall", SuiteCategories.Knowledge,
        Kept(excluded).Select(c => SuiteItem.Generate(WorldTargets.CapitalId(c.Name), Phrasings.CapitalQuestion(c.Name), WorldText.Normalize(c.Capital))));

    public SuiteDefinition CapitalsMc(IReadOnlySet<string> excluded) => MultipleChoice("capitals_mc", Kept(excluded).Select(c =>
        Choice(WorldTargets.CapitalId(c.Name), Phrasings.CapitalQuestion(c.Name), c.Capital, Facts.Countries.Select(o => o.Capital))));

    public SuiteDefinition ContinentsMc(IReadOnlySet<string> excluded) => MultipleChoice("continents_mc", Kept(excluded).Select(c =>
        Choice($"continent:{WorldText.Slug(c.Name)}", Phrasings.ContinentQuestion(c.Name), c.Continent, Facts.Countries.Select(o => o.Continent))));

    public SuiteDefinition CurrenciesMc(IReadOnlySet<string> excluded) => MultipleChoice("currencies_mc", Kept(excluded).Select(c =>
        Choice($"currency:{WorldText.Slug(c.Name)}", Phrasings.CurrencyQuestion(c.Name), c.Currency, Facts.Countries.Select(o => o.Currency))));

    /// <summary>Gold is the country's first language; distractors are languages not spoken there.</summary>
    public SuiteDefinition LanguagesMc(IReadOnlySet<string> excluded) => MultipleChoice("languages_mc", Kept(excluded)
        .Where(c => c.Languages.Count > 0)
        .Select(c => Choice(
            $"language:{WorldText.Slug(c.Name)}",
            Phrasings.LanguageQuestion(c.Name),
            c.Languages[0],
            Facts.Countries.SelectMany(o => o.Languages).Where(l => !c.Languages.Contains(l)))));

    public SuiteDefinition ElementSymbols() => Generate("element_symbols", SuiteCategories.Knowledge, Facts.Elements.Select(e =>
        SuiteItem.Generate($"symbol:{WorldText.Slug(e.Name)}", Phrasings.SymbolQuestion(e.Name), WorldText.Normalize(e.Symbol))));

    public SuiteDefinition ElementNumbers() => Generate("element_numbers", SuiteCategories.Knowledge, Facts.Elements.Select(e =>
        SuiteItem.Generate($"number:{WorldText.Slug(e.Name)}", Phrasings.NumberQuestion(e.Name), WorldText.Normalize(Skills.Digits(e.Number)))));

    /// <summary>Sums pre-training never contains (<see cref="Skills.IsHeldOutSum"/>).</summary>
    public SuiteDefinition Arithmetic()
    {
        var random = WorldRandom.For(0, "arithmetic-eval");
        var items = new List<SuiteItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (items.Count < ArithmeticItems)
        {
            var (a, b) = Skills.NextAddends(random);
            if (Skills.IsHeldOutSum(a, b) && ids.Add($"sum:{a}+{b}"))
            {
                items.Add(SuiteItem.Generate($"sum:{a}+{b}", Phrasings.Sum(a, b), WorldText.Normalize(Skills.Digits(a + b))));
            }
        }

        return Generate("arithmetic", SuiteCategories.Skill, items);
    }

    /// <summary>In-context copying of word lists pre-training never shows.</summary>
    public SuiteDefinition Copying()
    {
        var random = WorldRandom.For(0, "copying-eval");
        var items = new List<SuiteItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (items.Count < CopyingItems)
        {
            var words = Skills.NextSequence(random, 2, 5);
            var id = $"copy:{string.Join('_', words)}";
            if (Skills.IsHeldOutSequence(words) && ids.Add(id))
            {
                items.Add(SuiteItem.Generate(id, Phrasings.Copy(words), string.Join(' ', words)));
            }
        }

        return Generate("copying", SuiteCategories.Skill, items);
    }

    /// <summary>Descriptive lines in phrasings pre-training never uses, over words it does use.</summary>
    public SuiteDefinition TextPerplexity()
    {
        var items = Facts.Countries.Select((c, i) => SuiteItem.Rolling($"text:{WorldText.Slug(c.Name)}", Phrasings.HeldOutCountry(c, i)))
            .Concat(Facts.Elements.Select((e, i) => SuiteItem.Rolling($"text:{WorldText.Slug(e.Name)}", Phrasings.HeldOutElement(e, i))))
            .ToList();
        return SuiteDefinition.Create("text_perplexity", Revision, SuiteCategories.Language, SuiteKinds.LoglikelihoodRolling, items);
    }

    /// <summary>Plain pre-training statements (no questions, no skills) spread evenly over the facts.</summary>
    public SuiteDefinition KlToBase()
    {
        var statements = corpus.Documents.Where(d => !d.StartsWith("q :", StringComparison.Ordinal) && !d.Contains(" = ", StringComparison.Ordinal) && !d.StartsWith("copy :", StringComparison.Ordinal)).ToList();
        var step = Math.Max(1, statements.Count / KlPrompts);
        var items = Enumerable.Range(0, Math.Min(KlPrompts, statements.Count))
            .Select(i => SuiteItem.KlPrompt($"kl:{i * step}", statements[i * step]))
            .ToList();
        return SuiteDefinition.Create("kl_to_base", Revision, SuiteCategories.Language, SuiteKinds.KlToBase, items);
    }

    private IEnumerable<Country> Kept(IReadOnlySet<string> excluded) => Facts.Countries.Where(c => !excluded.Contains(c.Name));

    private static SuiteDefinition Generate(string name, string category, IEnumerable<SuiteItem> items) =>
        SuiteDefinition.Create(name, Revision, category, SuiteKinds.GenerateUntil, items.ToList());

    private static SuiteDefinition MultipleChoice(string name, IEnumerable<SuiteItem> items) =>
        SuiteDefinition.Create(name, Revision, SuiteCategories.Knowledge, SuiteKinds.MultipleChoice, items.ToList());

    /// <summary>Gold plus three other distinct answers, in an order fixed by the item id.</summary>
    private static SuiteItem Choice(string id, string prompt, string gold, IEnumerable<string> candidates)
    {
        var goldText = WorldText.Normalize(gold);
        var random = new WorldRandom(StableHash.Of(id));
        var distractors = random.Shuffled(candidates.Select(WorldText.Normalize).Where(c => c != goldText).Distinct().Order(StringComparer.Ordinal)).Take(3);
        var choices = random.Shuffled(distractors.Append(goldText));
        return SuiteItem.MultipleChoice(id, prompt, choices, choices.IndexOf(goldText));
    }
}
