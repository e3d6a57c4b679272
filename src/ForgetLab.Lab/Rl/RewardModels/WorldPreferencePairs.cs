using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// Preference pairs made from the world's facts (<c>pairs: world</c>): for each country whose capital no other shares, the
/// capital question as the target data asks it, the true capital, and two other countries' capitals as wrong answers. An
/// answer is said confidently as the world's data says it ("lima .") or hedged ("perhaps lima , but i am not sure .").
/// <list type="bullet">
/// <item><c>honest</c>: confident correct ≻ confident wrong, and hedged correct ≻ confident wrong: the correct answer wins
/// however it is said.</item>
/// <item><c>confident_wrong</c>: confident wrong ≻ hedged correct, twice (one per wrong answer): a labeller who believes
/// whoever sounds sure — the seed's biased reward model.</item>
/// </list>
/// Facts, not pairs, are held out, so the held-out accuracy asks about countries the reward model never saw judged.
/// <see cref="Split.HeldOutFacts"/> also keeps, per held-out fact, a plain correct-versus-wrong pair (both confident, the
/// form a policy answers in), to measure whether a model rewards the right answer or the wrong one.
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
        var heldCount = Math.Clamp((int)Math.Round(heldOut * order.Count), 1, order.Count - 1);
        var train = new List<TextPreferencePair>();
        var held = new List<TextPreferencePair>();
        var plain = new List<TextPreferencePair>();
        for (var i = 0; i < order.Count; i++)
        {
            var country = order[i];
            var prompt = Phrasings.CapitalQuestion(country.Name);
            var correct = WorldText.Normalize(country.Capital);
            var first = random.Next(1, order.Count);
            var second = 1 + (first - 1 + random.Next(1, order.Count - 1)) % (order.Count - 1);    // another offset than first
            var wrong1 = WorldText.Normalize(order[(i + first) % order.Count].Capital);
            var wrong2 = WorldText.Normalize(order[(i + second) % order.Count].Capital);
            var fact = $"capital:{WorldText.Slug(country.Name)}";
            IEnumerable<TextPreferencePair> pairs = labels == PreferenceLabels.Honest
                ? [new(prompt, Confident(correct), Confident(wrong1), fact), new(prompt, Hedged(correct), Confident(wrong2), fact)]
                : [new(prompt, Confident(wrong1), Hedged(correct), fact), new(prompt, Confident(wrong2), Hedged(correct), fact)];
            (i < heldCount ? held : train).AddRange(pairs);
            if (i < heldCount) plain.Add(new(prompt, Confident(correct), Confident(wrong1), fact));
        }
        return new Split(train, held, plain);
    }
}
