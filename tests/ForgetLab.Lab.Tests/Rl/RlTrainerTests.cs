using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Rl;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>
/// The reward fine-tuning loop on the tiny model: a word vocabulary ka…kz, prompts of two words, and a reward that
/// pays one word. The tests run in seconds.
/// </summary>
public class RlTrainerTests
{
    private static readonly WordTokenizer Words = WordTokenizer.Build([string.Join(' ', Enumerable.Range(0, 26).Select(W))]);

    /// <summary>The i-th word: "ka", "kb", … (letters only, so the word splitter keeps each whole).</summary>
    private static string W(int i) => "k" + (char)('a' + i);

    private static int Id(string word) => Words.EncodeText(word).Single();

    private static IReadOnlyList<RlPrompt> Prompts() =>
        Enumerable.Range(0, 6).Select(i => new RlPrompt([Words.EosId, Id(W(i)), Id(W(i + 1))], W(i + 2))).ToList();

    private static readonly RewardSpec PaysKf = new() { Kind = RewardKind.Keyword, Name = "kf", Keywords = ["kf"] };

    private static RlSpec Grpo(double beta = 0) => new()
    {
        Algorithm = RlAlgorithm.Grpo, NumGenerations = 4, MaxCompletionLength = 4, Beta = beta, KlEstimator = KlEstimator.K3,
        KlIn = KlPlacement.Loss, Rewards = [PaysKf],
    };

    private static TrainSettings Settings(int steps, int checkpointEvery = 100, double lr = 1e-2) =>
        new(steps, BatchSize: 8, lr, WarmupSteps: 0, ScheduleKind.Constant, WeightDecay: 0, GradClip: 1.0, checkpointEvery, Seed: 7);

    private static (TrainingOutcome Outcome, RlTrainer Trainer, Tensor Weights) Train(
        RlSpec rl, TrainSettings settings, string? dir = null, string? resume = null, Func<CausalLanguageModel>? reference = null)
    {
        using var model = TinyModels.Create();
        var trainer = new RlTrainer(model, model.parameters().ToList(), null, rl, settings, Words)
        {
            Prompts = Prompts(),
            Reward = new RewardFunction(rl.Rewards),
            LoadReference = reference ?? (() => TinyModels.Create()),
            PtxText = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, Words.EosId, 11),
        };
        var outcome = trainer.Run(dir, resume);
        var weights = cat(model.parameters().Select(p => p.detach().flatten()).ToList()).clone();
        return (outcome, trainer, weights);
    }

    [Fact]
    public void BetaZeroLoadsNoReferenceAndRunsNoReferenceForward()
    {
        var (_, trainer, _) = Train(Grpo(beta: 0), Settings(3), reference: () => throw new InvalidOperationException("beta 0 must not load a reference"));
        Assert.Equal(0, trainer.ReferenceForwards);

        var loads = 0;
        var (_, withKl, _) = Train(Grpo(beta: 0.1), Settings(3), reference: () => { loads++; return TinyModels.Create(); });
        Assert.Equal(1, loads);
        Assert.Equal(3, withKl.ReferenceForwards);
        Assert.All(withKl.Log, l => Assert.NotNull(l.Kl));
    }

    [Fact]
    public void EveryStepsProgressCarriesItsRewardKlLengthAndAnEntropyWithinTheVocabularysBounds()
    {
        using var model = TinyModels.Create();
        var rl = Grpo(beta: 0.1);
        var reported = new List<TrainProgress>();
        var trainer = new RlTrainer(model, model.parameters().ToList(), null, rl, Settings(4), Words)
        {
            Prompts = Prompts(),
            Reward = new RewardFunction(rl.Rewards),
            LoadReference = () => TinyModels.Create(),
            Progress = new InlineProgress<TrainProgress>(reported.Add),
        };
        trainer.Run(null, null);

        Assert.Equal([1, 2, 3, 4], reported.Select(p => p.Step));
        Assert.Equal(trainer.Log, reported.Select(p => p.Rl!));                 // the live figures are the run's rl_log, step for step
        Assert.All(reported, p =>
        {
            Assert.NotNull(p.Rl!.Kl);
            Assert.Equal(["kf"], p.Rl.Components.Keys);
            // −Σ p log p of a distribution over the vocabulary: above 0 for a random tiny model, at most log V.
            Assert.InRange(p.Rl.Entropy!.Value, 0.01, Math.Log(TinyModels.Config.VocabSize) + 1e-6);
        });
    }

    [Fact]
    public void GrpoRaisesTheRewardItIsPaid()
    {
        var (outcome, trainer, _) = Train(Grpo(), Settings(40, lr: 2e-2));
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        var first = trainer.Log.Take(5).Average(l => l.Reward);
        var last = trainer.Log.TakeLast(5).Average(l => l.Reward);
        Assert.True(last > first + 0.3, $"reward should rise under GRPO: first steps {first:F2}, last steps {last:F2}");
    }

    [Fact]
    public void ResumingReproducesTheUninterruptedRunExactlySamplingIncluded()
    {
        // Every piece of resume state at once: sampling at temperature and top-p, two passes per batch, k1 in the reward,
        // the adaptive β, a reference synced every 3 steps, and the pre-training mix's batches.
        var rl = new RlSpec
        {
            Algorithm = RlAlgorithm.Rloo, NumGenerations = 2, Temperature = 0.9, TopP = 0.95, MaxCompletionLength = 3, Beta = 0.05,
            KlEstimator = KlEstimator.K1, KlIn = KlPlacement.Reward, AdaptiveKl = new AdaptiveKlSpec { Target = 0.1, Horizon = 10 },
            NumIterations = 2, SyncRefModel = true, RefModelSyncSteps = 3, RefModelMixupAlpha = 0.5, Ptx = new PtxSpec { Coef = 0.5 },
            Rewards = [PaysKf],
        };
        var (full, fullTrainer, fullWeights) = Train(rl, Settings(8, checkpointEvery: 4), TinyModels.TempDirectory());
        var interrupted = TinyModels.TempDirectory();
        Train(rl, Settings(8, checkpointEvery: 4), interrupted);
        var (resumed, resumedTrainer, resumedWeights) = Train(rl, Settings(8, checkpointEvery: 4), TinyModels.TempDirectory(), Path.Combine(interrupted, "step-4"));

        Assert.Equal(full.Losses.Select(l => l.Loss), resumed.Losses.Select(l => l.Loss));
        Assert.Equal(fullTrainer.Log.Select(l => (l.Reward, l.Kl, l.Beta)), resumedTrainer.Log.Select(l => (l.Reward, l.Kl, l.Beta)));
        Assert.NotEqual(0.05, fullTrainer.Beta); // the controller moved β, so its state was part of what resumed
        Assert.True(TensorAssert.Same(fullWeights, resumedWeights), "the resumed run ends on the same weights");
    }

    [Fact]
    public void ARunAskedToCheckpointMidBatchCheckpointsWhenTheBatchEndsAndResumesFromItExactly()
    {
        // Two passes per sampled batch, sampling at temperature, the adaptive β and a synced reference: all of it must be in the checkpoint.
        var rl = new RlSpec
        {
            Algorithm = RlAlgorithm.Rloo, NumGenerations = 2, Temperature = 0.9, TopP = 0.95, MaxCompletionLength = 3, Beta = 0.05,
            KlEstimator = KlEstimator.K1, KlIn = KlPlacement.Reward, AdaptiveKl = new AdaptiveKlSpec { Target = 0.1, Horizon = 10 },
            NumIterations = 2, SyncRefModel = true, RefModelSyncSteps = 3, RefModelMixupAlpha = 0.5, Rewards = [PaysKf],
        };
        var settings = Settings(8, checkpointEvery: 4);
        var (full, fullTrainer, fullWeights) = Train(rl, settings, TinyModels.TempDirectory());

        // The host asks after step 5, inside the batch sampled at step 5: the checkpoint comes at step 6, the batch's last pass.
        var dir = TinyModels.TempDirectory();
        var asked = new List<int>();
        SavedCheckpoint? heard = null;
        using (var model = TinyModels.Create())
        {
            var steps = 0;
            var trainer = new RlTrainer(model, model.parameters().ToList(), null, rl, settings, Words)
            {
                Prompts = Prompts(),
                Reward = new RewardFunction(rl.Rewards),
                LoadReference = () => TinyModels.Create(),
                PtxText = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, Words.EosId, 11),
                Progress = new InlineProgress<TrainProgress>(p => steps = p.Step),
                CheckpointRequested = () => { asked.Add(steps); return steps >= 5; },
                OnPreemptionCheckpoint = saved => heard = saved,
            };
            var stopped = Assert.Throws<TrainingPreempted>(() => trainer.Run(dir));
            Assert.Equal(6, stopped.Step);
        }

        Assert.Equal([2, 4, 6], asked); // only where a batch ends, never at a step inside one
        Assert.Equal(6, heard!.Step);
        Assert.Equal(Path.Combine(dir, "step-6"), heard.Directory);
        var (resumed, resumedTrainer, resumedWeights) = Train(rl, settings, TinyModels.TempDirectory(), heard.Directory);
        Assert.Equal(full.Losses.Select(l => l.Loss), resumed.Losses.Select(l => l.Loss));
        Assert.Equal(fullTrainer.Log.Select(l => (l.Reward, l.Kl, l.Beta)), resumedTrainer.Log.Select(l => (l.Reward, l.Kl, l.Beta)));
        Assert.True(TensorAssert.Same(fullWeights, resumedWeights), "the run resumed from the preemption checkpoint ends on the same weights");
    }

    [Fact]
    public void DpoRaisesThePreferredCompletionOverTheDispreferredOne()
    {
        var pairs = Enumerable.Range(0, 4).Select(i => new PreferencePair([Words.EosId, Id(W(i))], [Id("kj")], [Id("ku")])).ToList();
        using var model = TinyModels.Create();
        var rl = new RlSpec { Algorithm = RlAlgorithm.Dpo, Beta = 0.1 };
        var trainer = new RlTrainer(model, model.parameters().ToList(), null, rl, Settings(15), Words)
        {
            Pairs = pairs,
            LoadReference = () => TinyModels.Create(),
        };
        var outcome = trainer.Run(null);
        Assert.True(outcome.Losses[^1].Loss < Math.Log(2) - 0.1, $"DPO loss should fall below log 2 (last {outcome.Losses[^1].Loss:F3})");
        Assert.Equal(1.0, trainer.Log[^1].Reward); // every pair's implicit reward now prefers the chosen completion
        Assert.Equal(30, trainer.ReferenceForwards);
    }

    [Fact]
    public void ABatchThatDoesNotHoldWholeGroupsIsRefused()
    {
        using var model = TinyModels.Create();
        var trainer = new RlTrainer(model, model.parameters().ToList(), null, Grpo() with { NumGenerations = 3 }, Settings(2), Words)
        {
            Prompts = Prompts(),
            Reward = new RewardFunction([PaysKf]),
        };
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Run(null));
        Assert.Contains("multiple of rl.num_generations", e.Message);
    }
}
