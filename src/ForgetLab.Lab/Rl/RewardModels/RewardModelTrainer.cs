using System.Diagnostics;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// Trains a reward model on preference pairs as TRL's <c>RewardTrainer</c> does (f2cd577): the whole model plus a fresh
/// score head (or, with <c>trainable_layers</c>, the head and only those blocks, the rest frozen as the <c>freeze</c>
/// method freezes it: <see cref="FreezeSettings"/>), dropout off (<c>disable_dropout</c>), AdamW at <c>lr</c> without weight decay and a linear decay to 0
/// (transformers' defaults), the Bradley–Terry loss (<see cref="BradleyTerry"/>). Pairs are drawn in seeded shuffled
/// epochs. At the end it measures pairwise accuracy on the training and the held-out pairs.
/// </summary>
public static class RewardModelTrainer
{
    public static (RewardModel Model, RewardModelInfo Info) Train(
        RewardModelTraining spec, string baseFolder, string baseHash, ITokenizer tokenizer, WorldFacts facts, Action<string>? log = null) =>
        Train(spec, baseFolder, baseHash, tokenizer, WorldPreferencePairs.Build(facts, spec.Labels, spec.HeldOut, spec.Seed), log);

    /// <summary>Trains on <paramref name="split"/>'s training pairs and measures on its held-out ones.</summary>
    public static (RewardModel Model, RewardModelInfo Info) Train(
        RewardModelTraining spec, string baseFolder, string baseHash, ITokenizer tokenizer, WorldPreferencePairs.Split split, Action<string>? log = null)
    {
        var started = Stopwatch.GetTimestamp();
        var eos = tokenizer.RequireEos();
        // The run that declares it must train the same whether this model was cached or trained now: keep its torch RNG.
        using var rngBefore = random.get_rng_state();
        random.manual_seed(spec.Seed);
        var model = new RewardModel(ModelFolder.Load(baseFolder), eos, tokenizer.PadOrEos());
        try
        {
            var train = Encode(model, tokenizer, split.Train);
            var parameters = TrainableParameters(model, spec.TrainableLayers);
            using var optimizer = optim.AdamW(parameters, lr: spec.Lr, weight_decay: 0);
            var order = WorldRandom.For(spec.Seed, "reward-model-order");
            var queue = new Queue<int>();
            var losses = new List<double>();
            model.Backbone.eval();   // TRL's disable_dropout: gradients flow, dropout does not
            for (var step = 0; step < spec.Steps; step++)
            {
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = spec.Lr * (1 - step / (double)spec.Steps);
                var batch = new List<(int[] Chosen, int[] Rejected)>();
                while (batch.Count < Math.Min(spec.BatchSize, train.Count))
                {
                    if (queue.Count == 0) foreach (var i in order.Shuffled(Enumerable.Range(0, train.Count))) queue.Enqueue(i);
                    batch.Add(train[queue.Dequeue()]);
                }
                optimizer.zero_grad();
                // Chosen and rejected in one forward, as TRL concatenates them.
                var rewards = model.Rewards([.. batch.Select(b => b.Chosen), .. batch.Select(b => b.Rejected)]);
                var chunks = rewards.chunk(2);
                var loss = BradleyTerry.Loss(chunks[0], chunks[1], spec.CenterRewardsCoefficient);
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
                if (log is not null && ((step + 1) % Math.Max(1, spec.Steps / 5) == 0 || step == 0))
                    log($"reward model step {step + 1}/{spec.Steps}: loss {losses[^1]:0.0000}");
            }
            foreach (var p in model.Parameters()) p.requires_grad_(false);
            var info = new RewardModelInfo
            {
                Labels = RlNames.Of(spec.Labels), Pairs = spec.Pairs, BaseModel = baseHash, Steps = spec.Steps, BatchSize = spec.BatchSize,
                Lr = spec.Lr, CenterRewardsCoefficient = spec.CenterRewardsCoefficient, TrainableLayers = spec.TrainableLayers, Seed = spec.Seed,
                TrainPairs = split.Train.Count, HeldOutPairs = split.HeldOut.Count,
                TrainAccuracy = Accuracy(model, train),
                HeldOutAccuracy = Accuracy(model, Encode(model, tokenizer, split.HeldOut)),
                HeldOutCorrectOverWrong = Accuracy(model, Encode(model, tokenizer, split.HeldOutFacts)),
                FinalLoss = losses.TakeLast(10).DefaultIfEmpty(double.NaN).Average(),
                Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            };
            return (model, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            random.set_rng_state(rngBefore);
        }
    }

    /// <summary>
    /// What the optimizer updates: every parameter (null layers, TRL's whole model), or the head and the listed blocks,
    /// every other parameter set to need no gradient so a frozen body stays bit-identical.
    /// </summary>
    public static IReadOnlyList<Parameter> TrainableParameters(RewardModel model, IReadOnlyList<int>? trainableLayers)
    {
        if (trainableLayers is null)
        {
            var all = model.Parameters();
            foreach (var p in all) p.requires_grad_(true);
            return all;
        }
        var blocks = new FreezeSettings(trainableLayers).Apply(model.Backbone);   // freezes the rest; refuses a block the base lacks
        var head = model.HeadParameters();
        foreach (var p in head) p.requires_grad_(true);
        return [.. blocks, .. head];
    }

    /// <summary>The share of pairs whose chosen side the model scores higher (TRL's pairwise <c>accuracy</c>).</summary>
    public static double Accuracy(RewardModel model, IReadOnlyList<(int[] Chosen, int[] Rejected)> pairs)
    {
        if (pairs.Count == 0) return double.NaN;
        var scores = model.Score([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)]);
        return Enumerable.Range(0, pairs.Count).Count(i => scores[i] > scores[pairs.Count + i]) / (double)pairs.Count;
    }

    /// <summary>Each pair as the two sequences the model scores: <c>[eos] prompt</c> then the answer, as the RL prompts are built.</summary>
    public static List<(int[] Chosen, int[] Rejected)> Encode(RewardModel model, ITokenizer tokenizer, IReadOnlyList<TextPreferencePair> pairs) =>
        pairs.Select(p =>
        {
            var (context, chosen) = tokenizer.EncodePair(p.Prompt, " " + p.Chosen);
            var (_, rejected) = tokenizer.EncodePair(p.Prompt, " " + p.Rejected);
            int[] prompt = [model.Eos, .. context];
            return (model.Sequence(prompt, chosen), model.Sequence(prompt, rejected));
        }).ToList();
}
