using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Rl;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Runs;

/// <summary>A reward fine-tuning run as the lab builds it: its trainer and what measures its checkpoints.</summary>
internal sealed record RlRun(RlTrainer Trainer, RlMeasurements Measurements);

/// <summary>
/// Builds a <c>train.rl</c> run from the lab's pieces. Prompts are the target's pairs as the supervised trainer
/// sees them (<c>[eos] prompt</c>, the completion as reference answer): a built-in task's pairs, or a prompt/completion
/// data file's training lines; a seeded share of distinct prompts is held out of training and only measured. DPO's pairs prefer the target's completion over the base's own greedy answer
/// (the answer fine-tuning means to replace), or over another pair's answer where the base already gives the target's.
/// </summary>
internal static class RlSetup
{
    /// <summary>Pre-training streams used here (the consolidation plan uses 1–3).</summary>
    private const ulong PtxStream = 11;

    private const int GeneralTextDocuments = 32;

    /// <param name="pairs">The target's pairs, each completion exactly as it follows its prompt in training (a built-in
    /// task's with the space before it, a data file's as written): split as the supervised trainer splits them.</param>
    public static RlRun Build(
        RlSpec rl, TrainSettings settings, CausalLanguageModel model, IReadOnlyList<Parameter> trainable, IPeftMethod? peft,
        IReadOnlyList<PromptCompletion> pairs, ITokenizer tokenizer, IReadOnlyList<int[]> pretrainDocuments, string baseFolder,
        TorchLanguageModel baseLm, Trainer supervised, int seed, Rl.RewardModels.RewardModelSet? rewardModels = null)
    {
        var eos = tokenizer.RequireEos();
        // Prompts start as the base's documents start (DocumentFraming: EOS for word-level, BOS for Llama's SentencePiece).
        var start = DocumentFraming.For(tokenizer).StartId;
        if (pairs.Count == 0) throw new InvalidOperationException("reward fine-tuning needs the target's prompt/completion pairs to sample from");
        var all = pairs.Select(p =>
        {
            var (context, continuation) = tokenizer.EncodePair(p.Prompt, p.Completion);
            return (Prompt: new RlPrompt([start, .. context], p.Completion.TrimStart()), Completion: continuation);
        }).ToList();
        var distinct = all.Select(a => a.Prompt.Tokens).DistinctBy(t => string.Join(',', t)).ToList();
        var order = WorldRandom.For(seed, "rl-held-out").Shuffled(distinct);
        var heldCount = (int)Math.Floor(rl.HeldOutPrompts * order.Count);
        var held = order.Take(heldCount).Select(t => string.Join(',', t)).ToHashSet(StringComparer.Ordinal);
        var train = all.Where(a => !held.Contains(string.Join(',', a.Prompt.Tokens))).ToList();
        var heldOut = all.Where(a => held.Contains(string.Join(',', a.Prompt.Tokens))).ToList();
        if (train.Count == 0) throw new InvalidOperationException($"rl.held_out_prompts ({rl.HeldOutPrompts}) leaves no prompt to train on");

        var reward = rl.Algorithm == RlAlgorithm.Dpo ? null : new RewardFunction(rl.Rewards, rewardModels?.Models);
        var ptx = rl.Ptx is null ? null : new PackedTextBatches(pretrainDocuments, model.Config.MaxPositions, DocumentFraming.For(tokenizer), (ulong)seed * 0x9E3779B97F4A7C15UL + PtxStream);
        var trainer = new RlTrainer(model, trainable, peft, rl, settings, tokenizer)
        {
            Prompts = train.Select(t => t.Prompt).ToList(),
            Pairs = rl.Algorithm == RlAlgorithm.Dpo ? PreferencePairs(train, baseLm, eos) : [],
            Reward = reward,
            LoadReference = () => ModelFolder.Load(baseFolder),
            PtxText = ptx,
            // What the lab hands the supervised trainer goes to this one too: the regularisers, the scoring, progress, the optimizer's start.
            ExtraLoss = supervised.ExtraLoss,
            OnCheckpoint = supervised.OnCheckpoint,
            Progress = supervised.Progress,
            InitialOptimizerState = supervised.InitialOptimizerState,
            CheckpointRequested = supervised.CheckpointRequested,
            OnPreemptionCheckpoint = supervised.OnPreemptionCheckpoint,
        };
        var general = WorldRandom.For(seed, "rl-general-text").Shuffled(pretrainDocuments.ToList()).Take(GeneralTextDocuments).ToList();
        var measurements = new RlMeasurements(rl, tokenizer, reward, train.Select(t => t.Prompt).DistinctBy(p => string.Join(',', p.Tokens)).ToList(),
            heldOut.Select(t => t.Prompt).ToList(), general, seed);
        return new RlRun(trainer, measurements);
    }

    private static List<PreferencePair> PreferencePairs(IReadOnlyList<(RlPrompt Prompt, int[] Completion)> train, TorchLanguageModel baseLm, int eos)
    {
        var answers = baseLm.GreedyTokens(train.Select(t => t.Prompt.Tokens).ToList(), 16, stopIds: [eos])
            .Select(a => a.Length > 0 && a[^1] == eos ? a[..^1] : a).ToList();
        var pairs = new List<PreferencePair>();
        for (var i = 0; i < train.Count; i++)
        {
            var chosen = train[i].Completion;
            var rejected = answers[i].Length > 0 && !answers[i].SequenceEqual(chosen)
                ? answers[i]
                : Enumerable.Range(1, train.Count).Select(k => train[(i + k) % train.Count].Completion).FirstOrDefault(c => !c.SequenceEqual(chosen));
            if (rejected is not null) pairs.Add(new PreferencePair(train[i].Prompt.Tokens, chosen, rejected));
        }
        if (pairs.Count == 0) throw new InvalidOperationException("DPO found no pair whose answers differ");
        return pairs;
    }
}
