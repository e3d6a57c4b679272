using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.World;

/// <summary>
/// The built-in world in one object: its facts, pre-training corpus, fine-tuning targets, suites,
/// and a tokenizer whose vocabulary covers all of them.
/// </summary>
public sealed class BuiltInWorld
{
    public BuiltInWorld(WorldFacts facts, WorldCorpusOptions? options = null)
    {
        Facts = facts;
        Corpus = new WorldCorpus(facts, options);
        Targets = new WorldTargets(facts);
        Suites = new WorldSuites(Corpus);
    }

    public WorldFacts Facts { get; }

    public WorldCorpus Corpus { get; }

    public WorldTargets Targets { get; }

    public WorldSuites Suites { get; }

    /// <summary>Loads the facts from World/Data next to the assembly (or <paramref name="dataDirectory"/>).</summary>
    public static BuiltInWorld Load(WorldCorpusOptions? options = null, string? dataDirectory = null) =>
        new(WorldFacts.Load(dataDirectory), options);

    /// <summary>A target by its name: conflicting_facts, new_entities or format_reverse.</summary>
    public FineTuningTarget Target(string name, int count, int seed) => name switch
    {
        WorldTargets.ConflictingFactsName => Targets.ConflictingFacts(count, seed),
        WorldTargets.NewEntitiesName => Targets.NewEntities(count, seed),
        WorldTargets.FormatTaskName => Targets.FormatTask(count, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name,
            $"Unknown world target; expected {WorldTargets.ConflictingFactsName}, {WorldTargets.NewEntitiesName} or {WorldTargets.FormatTaskName}."),
    };

    /// <summary>
    /// A word tokenizer over every text the world can produce: the corpus, every suite, and every
    /// word any target can teach (the whole invented-country pool), so no world text maps to &lt;unk&gt;.
    /// The vocabulary does not depend on the corpus seed.
    /// </summary>
    public WordTokenizer BuildTokenizer() => WordTokenizer.Build(AllText());

    private IEnumerable<string> AllText()
    {
        foreach (var document in Corpus.Documents)
        {
            yield return document;
        }

        var targets = new[]
        {
            Targets.ConflictingFacts(2, 0),
            Targets.NewEntities(Targets.InventedPool.Count, 0),
            Targets.FormatTask(1, 0),
        };
        foreach (var target in targets)
        {
            foreach (var pair in target.Pairs)
            {
                yield return pair.Text;
            }
        }

        foreach (var suite in Suites.BuiltIn(targets[1]).Concat([targets[0].TargetSuite, targets[2].TargetSuite]))
        {
            foreach (var text in SuiteTexts(suite))
            {
                yield return text;
            }
        }
    }

    private static IEnumerable<string> SuiteTexts(SuiteDefinition suite) =>
        suite.Items.SelectMany(item => item.Choices.Append(item.Prompt).Append(item.Target));
}
