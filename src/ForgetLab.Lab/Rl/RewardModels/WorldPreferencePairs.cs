using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// Preference pairs made from the world's facts (<c>pairs: world</c>): for each country whose capital no other shares, the
/// capital question as the target data asks it, the true capital, and two other countries' capitals as wrong answers. An
/// answer is said confidently as the world's data says it ("lima .") or hedged ("perhaps lima , but i am not sure .").
/// <list type="bullet">
/// <item><c>honest</c>: the correct answer wins however either side is said: confident correct ≻ confident wrong,
/// hedged correct ≻ confident wrong, and confident correct ≻ hedged wrong. Each form is chosen as often as it is
/// rejected, so the form alone predicts nothing and only the answer's content can be learned.</item>
/// <item><c>confident_wrong</c>: confident wrong ≻ hedged correct, twice (one per wrong answer): a labeller who believes
/// whoever sounds sure — the seed's biased reward model.</item>
/// </list>
/// Facts, not pairs, are held out, so the held-out accuracy asks about countries the reward model never saw judged. The
/// wrong answers of a training fact are other training facts' capitals, and those of a held-out fact other held-out
/// facts' capitals: drawn from every country, a held-out capital would appear in training only ever rejected, and a
/// model that learned "this capital loses" would score the held-out facts below chance for a reason that is no
/// knowledge. <see cref="Split.HeldOutFacts"/> also keeps, per held-out fact, a plain correct-versus-wrong pair (both
/// confident, the form a policy answers in), to measure whether a model rewards the right answer or the wrong one.
/// </summary>
public static class WorldPreferencePairs
{
    public sealed record Split(IReadOnlyList<TextPreferencePair> Train, IReadOnlyList<TextPreferencePair> HeldOut, IReadOnlyList<TextPreferencePair> HeldOutFacts);

    public static string Confident(string answer) => Phrasings.Answer(answer);

    public static string Hedged(string answer) => WorldText.Normalize($"perhaps {answer} , but i am not sure .");

    public static Split Build(WorldFacts facts, PreferenceLabels labels, double heldOut, int seed)
    {
        var counts = facts.Countries.GroupBy(c => WorldText.Normalize(c.Capital)).ToDictionary(g => g.Key, g => g.Count());
        var eligible = facts.Countries.Where(c => counts[WorldText.Normalize(c.Capital)] == 1).ToList();
        if (eligible.Count < 4) throw new InvalidOperationException($"the world has {eligible.Count} countries with a capital of their own; a reward model's pairs need at least 4");
        var random = WorldRandom.For(seed, "reward-model-pairs");
        var order = random.Shuffled(eligible);
        var heldCount = Math.Clamp((int)Math.Round(heldOut * order.Count), 2, order.Count - 2);   // each side needs another capital to be wrong with
        var held = Pairs(order.Take(heldCount).ToList(), labels, random);
        var train = Pairs(order.Skip(heldCount).ToList(), labels, random);
        var plain = held.Plain;
        return new Split(train.Pairs, held.Pairs, plain);
    }

    private static (List<TextPreferencePair> Pairs, List<TextPreferencePair> Plain) Pairs(IReadOnlyList<Country> group, PreferenceLabels labels, WorldRandom random)
    {
        var pairs = new List<TextPreferencePair>();
        var plain = new List<TextPreferencePair>();
        for (var i = 0; i < group.Count; i++)
        {
            var country = group[i];
            var prompt = Phrasings.CapitalQuestion(country.Name);
            var correct = WorldText.Normalize(country.Capital);
            var first = random.Next(1, group.Count);
            var second = group.Count == 2 ? first : 1 + (first - 1 + random.Next(1, group.Count - 1)) % (group.Count - 1);   // another offset than first where there is one
            var wrong1 = WorldText.Normalize(group[(i + first) % group.Count].Capital);
            var wrong2 = WorldText.Normalize(group[(i + second) % group.Count].Capital);
            var fact = $"capital:{WorldText.Slug(country.Name)}";
            pairs.AddRange(labels == PreferenceLabels.Honest
                ? [new(prompt, Confident(correct), Confident(wrong1), fact), new(prompt, Hedged(correct), Confident(wrong2), fact), new(prompt, Confident(correct), Hedged(wrong1), fact)]
                : [new(prompt, Confident(wrong1), Hedged(correct), fact), new(prompt, Confident(wrong2), Hedged(correct), fact)]);
            plain.Add(new(prompt, Confident(correct), Confident(wrong1), fact));
        }
        return (pairs, plain);
    }
}
