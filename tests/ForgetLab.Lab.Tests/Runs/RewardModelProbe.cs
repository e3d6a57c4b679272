using ForgetLab.Core.Specs;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Rl.RewardModels;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// Not a test: the measurement behind RewardModelWorldTests' skipped honest test and docs/rl.md's figures, run only when
/// asked for (<c>Explicit</c>). It ranks the held-out facts' plain pairs by the base's own log-probability, then trains
/// honest reward models as RM_PROBE lists them (<c>pairs:steps:lr:held_out[:seed[:body]]</c>, body <c>full</c>, <c>head</c>
/// (trainable_layers: []) or <c>l1</c> (trainable_layers: [1]), comma-separated; <c>new</c> pairs are
/// the lab's (WorldPreferencePairs); <c>old</c> pairs are the earlier ones, whose wrong answers came from every country and
/// whose hedged answers were only ever chosen; <c>wideK</c> pairs set up to K wrong answers of the same side against each
/// fact, in the three balanced forms each, so that no score per capital can order the training pairs) and appends
/// each one's pairwise accuracies to RM_PROBE_OUT (default /tmp/rm-probe.txt). RM_PROBE_CACHE reuses a base cache.
/// <c>RM_PROBE=old:120:1e-4:0.2,new:120:1e-4:0.2 dotnet test --project tests/ForgetLab.Lab.Tests -c Release --no-build
/// --filter-class '*RewardModelProbe' --explicit only</c>
/// </summary>
public class RewardModelProbe
{
    private static void Log(string line) => File.AppendAllText(Environment.GetEnvironmentVariable("RM_PROBE_OUT") ?? "/tmp/rm-probe.txt", $"{DateTime.UtcNow:HH:mm:ss} {line}\n");

    // Old: wrong answers from every eligible country (held-out capitals appear as rejected in training).
    private static WorldPreferencePairs.Split Old(WorldFacts facts, double heldOut, int seed)
    {
        var counts = facts.Countries.GroupBy(c => WorldText.Normalize(c.Capital)).ToDictionary(g => g.Key, g => g.Count());
        var eligible = facts.Countries.Where(c => counts[WorldText.Normalize(c.Capital)] == 1).ToList();
        var random = WorldRandom.For(seed, "reward-model-pairs");
        var order = random.Shuffled(eligible);
        var heldCount = Math.Clamp((int)Math.Round(heldOut * order.Count), 1, order.Count - 1);
        var train = new List<TextPreferencePair>(); var held = new List<TextPreferencePair>(); var plain = new List<TextPreferencePair>();
        for (var i = 0; i < order.Count; i++)
        {
            var country = order[i];
            var prompt = Phrasings.CapitalQuestion(country.Name);
            var correct = WorldText.Normalize(country.Capital);
            var first = random.Next(1, order.Count);
            var second = 1 + (first - 1 + random.Next(1, order.Count - 1)) % (order.Count - 1);
            var wrong1 = WorldText.Normalize(order[(i + first) % order.Count].Capital);
            var wrong2 = WorldText.Normalize(order[(i + second) % order.Count].Capital);
            var fact = $"capital:{WorldText.Slug(country.Name)}";
            TextPreferencePair[] pairs = [new(prompt, WorldPreferencePairs.Confident(correct), WorldPreferencePairs.Confident(wrong1), fact), new(prompt, WorldPreferencePairs.Hedged(correct), WorldPreferencePairs.Confident(wrong2), fact)];
            (i < heldCount ? held : train).AddRange(pairs);
            if (i < heldCount) plain.Add(new(prompt, WorldPreferencePairs.Confident(correct), WorldPreferencePairs.Confident(wrong1), fact));
        }
        return new(train, held, plain);
    }

    // Wide: as Build's split, but k wrong answers per fact (same side), each in the three balanced honest forms.
    private static WorldPreferencePairs.Split Wide(WorldFacts facts, double heldOut, int seed, int k)
    {
        var counts = facts.Countries.GroupBy(c => WorldText.Normalize(c.Capital)).ToDictionary(g => g.Key, g => g.Count());
        var eligible = facts.Countries.Where(c => counts[WorldText.Normalize(c.Capital)] == 1).ToList();
        var random = WorldRandom.For(seed, "reward-model-pairs");
        var order = random.Shuffled(eligible);
        var heldCount = Math.Clamp((int)Math.Round(heldOut * order.Count), 2, order.Count - 2);
        List<TextPreferencePair> Side(IReadOnlyList<Country> group, List<TextPreferencePair>? plain)
        {
            var pairs = new List<TextPreferencePair>();
            for (var i = 0; i < group.Count; i++)
            {
                var prompt = Phrasings.CapitalQuestion(group[i].Name);
                var correct = WorldText.Normalize(group[i].Capital);
                var offsets = random.Shuffled(Enumerable.Range(1, group.Count - 1)).Take(Math.Min(k, group.Count - 1)).ToList();
                foreach (var o in offsets)
                {
                    var wrong = WorldText.Normalize(group[(i + o) % group.Count].Capital);
                    pairs.Add(new(prompt, WorldPreferencePairs.Confident(correct), WorldPreferencePairs.Confident(wrong), ""));
                    pairs.Add(new(prompt, WorldPreferencePairs.Hedged(correct), WorldPreferencePairs.Confident(wrong), ""));
                    pairs.Add(new(prompt, WorldPreferencePairs.Confident(correct), WorldPreferencePairs.Hedged(wrong), ""));
                }
                plain?.Add(new(prompt, WorldPreferencePairs.Confident(correct), WorldPreferencePairs.Confident(WorldText.Normalize(group[(i + offsets[0]) % group.Count].Capital)), ""));
            }
            return pairs;
        }
        var plainHeld = new List<TextPreferencePair>();
        var held = Side(order.Take(heldCount).ToList(), plainHeld);
        var train = Side(order.Skip(heldCount).ToList(), null);
        return new(train, held, plainHeld);
    }

    private static double LmPrefers(CausalLanguageModel lm, Core.Tokenizers.ITokenizer tokenizer, int eos, IReadOnlyList<TextPreferencePair> pairs)
    {
        lm.eval();
        var wins = 0;
        foreach (var p in pairs)
        {
            double Lp(string answer)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var (context, completion) = tokenizer.EncodePair(p.Prompt, " " + answer);
                int[] all = [eos, .. context, .. completion];
                var input = tensor(all.Select(x => (long)x).ToArray(), [1, all.Length]);
                var logp = nn.functional.log_softmax(lm.forward(input).to(ScalarType.Float32), -1)[0];
                var sum = 0.0;
                for (var t = all.Length - completion.Length; t < all.Length; t++) sum += logp[t - 1, all[t]].item<float>();
                return sum;
            }
            if (Lp(p.Chosen) > Lp(p.Rejected)) wins++;
        }
        return wins / (double)pairs.Count;
    }

    [Fact(Explicit = true)]
    public void MeasureHowFarAnHonestRewardModelGeneralises()
    {
        var (folder, tokenizer, facts) = RewardModelWorld.Base(Environment.GetEnvironmentVariable("RM_PROBE_CACHE"));
        var hash = ModelFolder.ContentHash(folder);
        var eos = tokenizer.EosId!.Value;
        var variant = Environment.GetEnvironmentVariable("RM_PROBE") ?? "base";
        using (var lm = ModelFolder.Load(folder))
        {
            var split = WorldPreferencePairs.Build(facts, PreferenceLabels.Honest, 0.2, 0);
            var all = Old(facts, 0.999, 0);
            Log($"base: eligible facts {split.HeldOutFacts.Count}+{split.Train.Count / 2}; LM prefers correct (plain) held-out {LmPrefers(lm, tokenizer, eos, split.HeldOutFacts):F3}; all facts {LmPrefers(lm, tokenizer, eos, all.HeldOutFacts):F3} of {all.HeldOutFacts.Count}");
        }
        foreach (var v in variant.Split(','))
        {
            var parts = v.Split(':');   // pairs:steps:lr:heldout[:seed[:body]], body full (default), head ([]) or l1_2 ([1, 2])
            if (parts.Length < 4) continue;
            var seed = parts.Length > 4 ? int.Parse(parts[4]) : 0;
            var spec = new RewardModelTraining { Labels = PreferenceLabels.Honest, Steps = int.Parse(parts[1]), Lr = double.Parse(parts[2]), HeldOut = double.Parse(parts[3]), Seed = seed,
                TrainableLayers = parts.Length <= 5 || parts[5] == "full" ? null : parts[5] == "head" ? [] : [.. parts[5].TrimStart('l').Split('_').Select(int.Parse)] };
            var split = parts[0] == "old" ? Old(facts, spec.HeldOut, seed)
                : parts[0].StartsWith("wide", StringComparison.Ordinal) ? Wide(facts, spec.HeldOut, seed, int.Parse(parts[0][4..]))
                : WorldPreferencePairs.Build(facts, spec.Labels, spec.HeldOut, spec.Seed);
            var (model, info) = RewardModelTrainer.Train(spec, folder, hash, tokenizer, split);
            model.Dispose();
            Log($"{v}: train {info.TrainAccuracy:F3} ({info.TrainPairs}) held-out {info.HeldOutAccuracy:F3} ({info.HeldOutPairs}) plain {info.HeldOutCorrectOverWrong:F3} loss {info.FinalLoss:F3} {info.Seconds:F0}s");
        }
    }
}
