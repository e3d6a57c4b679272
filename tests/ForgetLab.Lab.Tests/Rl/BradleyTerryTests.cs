using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl.RewardModels;
using ForgetLab.Lab.World;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>The reward model's loss against hand-computed values, and the preference pairs its labels make from the world's facts.</summary>
public class BradleyTerryTests
{
    [Fact]
    public void TheBradleyTerryLossMatchesAHandComputedValue()
    {
        using var chosen = tensor(new[] { 2f, 0f });
        using var rejected = tensor(new[] { 1f, 1f });
        // margins 1 and −1: −log σ(1) = log(1 + e^−1) = 0.3132617, −log σ(−1) = log(1 + e) = 1.3132617; mean 0.8132617.
        Assert.Equal(0.8132617, BradleyTerry.Loss(chosen, rejected).item<float>(), 5);
        // TRL's center_rewards_coefficient 0.01 adds 0.01 · mean((2 + 1)², (0 + 1)²) = 0.01 · 5.
        Assert.Equal(0.8632617, BradleyTerry.Loss(chosen, rejected, 0.01).item<float>(), 5);
    }

    [Fact]
    public void EqualRewardsCostLogTwoAndAWiderMarginCostsLess()
    {
        using var same = tensor(new[] { 0.5f, -3f });
        Assert.Equal(Math.Log(2), BradleyTerry.Loss(same, same).item<float>(), 5);
        using var low = tensor(new[] { 0f });
        using var high = tensor(new[] { 4f });
        Assert.True(BradleyTerry.Loss(high, low).item<float>() < BradleyTerry.Loss(low, high).item<float>());
    }

    [Fact]
    public void TheHeadReadsTheLastNonPadTokenSoAClosingEosThatIsAlsoThePadIsNotRead()
    {
        // transformers' last_non_pad_token; TRL pads with EOS where the tokenizer has no pad token of its own.
        using var ownPad = new RewardModel(TinyModels.Create(), eos: 2, pad: 0);
        using var eosPad = new RewardModel(TinyModels.Create(), eos: 2, pad: 2);
        int[] open = [2, 5, 6, 7];
        int[] closed = [.. open, 2];
        int[] longer = [2, 5, 6, 7, 8, 9, 10, 2];

        // A pad of its own: the closing EOS is the position read, and a longer neighbour's padding changes nothing.
        var own = ownPad.Score([closed, open]);
        Assert.NotEqual(own[0], own[1], 5);
        Assert.Equal(own[0], ownPad.Score([closed, longer])[0], 5);
        // EOS as the pad: the closing EOS is padding, so the completion's last token is read.
        var eos = eosPad.Score([closed, open, longer]);
        Assert.Equal(eos[0], eos[1], 5);
    }

    [Fact]
    public void HonestLabelsPreferTheCorrectAnswerAndBiasedLabelsTheConfidentWrongOne()
    {
        var facts = WorldFacts.Load(SmallWorlds.Write(countries: 30, elements: 4, stride: 3));
        var capitals = facts.Countries.ToDictionary(c => Phrasings.CapitalQuestion(c.Name), c => WorldText.Normalize(c.Capital));
        var honest = WorldPreferencePairs.Build(facts, PreferenceLabels.Honest, 0.2, seed: 1);
        var biased = WorldPreferencePairs.Build(facts, PreferenceLabels.ConfidentWrong, 0.2, seed: 1);

        Assert.All(honest.Train.Concat(honest.HeldOut), p => Assert.StartsWith(WorldPreferencePairs.Confident(capitals[p.Prompt]).TrimEnd('.').Trim(), Strip(p.Chosen)));
        Assert.All(biased.Train.Concat(biased.HeldOut), p =>
        {
            Assert.Equal(WorldPreferencePairs.Hedged(capitals[p.Prompt]), p.Rejected);
            Assert.NotEqual(WorldPreferencePairs.Confident(capitals[p.Prompt]), p.Chosen);
            Assert.DoesNotContain("perhaps", p.Chosen);
        });
        // Facts, not pairs, are held out, and both labellings hold out the same facts.
        Assert.Empty(honest.Train.Select(p => p.Fact).Intersect(honest.HeldOut.Select(p => p.Fact)));
        Assert.Equal(honest.HeldOut.Select(p => p.Fact).Distinct(), biased.HeldOut.Select(p => p.Fact).Distinct());
    }

    [Fact]
    public void HonestPairsGiveNeitherTheFormNorAHeldOutCapitalAwayToAModelThatKnowsNoFacts()
    {
        var facts = WorldFacts.Load(SmallWorlds.Write(countries: 30, elements: 4, stride: 3));
        var honest = WorldPreferencePairs.Build(facts, PreferenceLabels.Honest, 0.2, seed: 1);

        // The hedged form is chosen as often as it is rejected: a model that only reads the form scores 0.5.
        foreach (var side in new[] { honest.Train, honest.HeldOut })
            Assert.Equal(side.Count(p => p.Chosen.StartsWith("perhaps", StringComparison.Ordinal)), side.Count(p => p.Rejected.StartsWith("perhaps", StringComparison.Ordinal)));
        // No answer of a held-out fact is ever judged in training, so a model can only know it from the base.
        var heldCapitals = honest.HeldOutFacts.Select(p => Strip(p.Chosen)).ToHashSet();
        Assert.DoesNotContain(honest.Train.SelectMany(p => new[] { Strip(p.Chosen), Strip(p.Rejected) }), heldCapitals.Contains);
        Assert.All(honest.HeldOut.SelectMany(p => new[] { Strip(p.Chosen), Strip(p.Rejected) }), a => Assert.Contains(a, heldCapitals));
    }

    private static string Strip(string answer) =>
        answer.Replace("perhaps ", "", StringComparison.Ordinal).Replace(" , but i am not sure", "", StringComparison.Ordinal);
}
