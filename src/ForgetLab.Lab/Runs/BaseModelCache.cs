using System.Diagnostics;
using System.Text.Json;
using ForgetLab.Core.Data;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Runs;

/// <summary>What pre-training a base cost and reached, kept beside the cached model.</summary>
/// <param name="Probes">The probe suites' scores during pre-training (<see cref="BaseModelCache.Probe"/>); null when it was not probed.</param>
public sealed record PretrainSummary(string SpecHash, int Steps, long Tokens, double Seconds, double TokensPerSecond, double FinalLoss,
    IReadOnlyList<PretrainProbeScore>? Probes = null);

/// <summary>
/// Pre-trained base models, cached by spec hash: <c>{cache}/{hash}/</c> holds the Hugging Face-layout
/// model folder with its tokenizer (the word-level <c>vocab.json</c>, or a trained <c>tokenizer.model</c> /
/// <c>tokenizer.json</c> with transformers' configs, <see cref="BaseTokenizers"/>), <c>pretrain.json</c> and <c>pretrain_optimizer.bin</c> (bases cached before
/// that file existed lack it; delete such a folder to re-train it when <c>optimizer_state: pretrain</c> needs it). A base is trained once; the folder is
/// built aside and moved into place, so a crash never leaves a half-written base behind.
/// </summary>
public sealed class BaseModelCache(string cacheDirectory, IProgress<JobEvent>? progress = null)
{
    public const string SummaryFile = "pretrain.json";
    public const string VocabFile = ModelFiles.VocabFile;

    /// <summary>How a pre-training progress event that carries a probe's score begins its detail (displays print every one).</summary>
    public const string ProbeDetailPrefix = "probe: ";

    /// <summary>AdamW's state at the end of pre-training, for <c>train.optimizer_state: pretrain</c>.</summary>
    public const string OptimizerFile = "pretrain_optimizer.bin";

    /// <summary>Suites to score while a base is pre-trained; null pre-trains without. A base already cached is not pre-trained again.</summary>
    public PretrainProbe? Probe { get; init; }

    /// <summary>
    /// Called with a base's trained tokenizer and context length before its weights are pre-trained (not for a cached base):
    /// the checks that need the tokenizer (a role the chat template does not know, an example longer than the context) then
    /// refuse the data before minutes of pre-training, not after. What it throws ends the pre-training; nothing is cached.
    /// </summary>
    public Action<ITokenizer, int>? CheckBeforePretraining { get; init; }

    public string FolderFor(string hash) => Path.Combine(cacheDirectory, hash);

    public bool Contains(string hash) => File.Exists(Path.Combine(FolderFor(hash), SummaryFile));

    /// <summary>The cached base for <paramref name="spec"/> and its tokenizer, pre-training it (and training its tokenizer) first when it is not cached.</summary>
    /// <param name="worldVariant">Set when the world is not the default one, so its base gets a cache entry of its own.</param>
    public (string Folder, PretrainSummary Summary, ITokenizer Tokenizer) GetOrPretrain(LabSpec spec, BuiltInWorld world, string? worldVariant = null)
    {
        var hash = SpecHash.ForBase(spec) + (worldVariant is null ? "" : "-" + worldVariant);
        var folder = FolderFor(hash);
        if (!Contains(hash))
        {
            // Jobs of one worker (and several workers on one machine) share the cache: one pre-trains, the others wait for it.
            using var held = Lock(folder + ".lock");
            if (!Contains(hash))
            {
                var staging = folder + $".staging-{Environment.ProcessId}";
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
                try
                {
                    Pretrain(spec, world, hash, staging);
                }
                catch
                {
                    if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
                    throw;
                }

                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                Directory.Move(staging, folder);
            }
        }
        var summary = JsonSerializer.Deserialize<PretrainSummary>(File.ReadAllText(Path.Combine(folder, SummaryFile)))
            ?? throw new InvalidDataException($"{folder}: empty {SummaryFile}");
        // The word vocabulary of a world base is rebuilt from the world as it always was; a trained tokenizer, or the
        // word vocabulary of a corpus base, is the cached folder's.
        ITokenizer tokenizer = spec.Base.Tokenizer.IsWord && spec.Base.Pretrain.Corpus is null ? world.BuildTokenizer() : BaseTokenizers.Load(folder, vocabSize: null);
        return (folder, summary, tokenizer);
    }

    /// <summary>An exclusive lock across processes: the file opened with no sharing, waited for while another process holds it.</summary>
    private static FileStream Lock(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>What a base pre-trains on: the user's <c>base.pretrain.corpus</c> ({"text"} lines), else the world's documents.</summary>
    public static IReadOnlyList<string> PretrainTexts(LabSpec spec, BuiltInWorld world) =>
        spec.Base.Pretrain.Corpus is { } corpus
            ? [.. JsonlDataFile.Read(corpus.FullPath, corpus.Path, only: DataShape.Text).Examples.Cast<TextExample>().Select(t => t.Text)]
            : world.Corpus.Documents;

    private void Pretrain(LabSpec spec, BuiltInWorld world, string hash, string folder)
    {
        var m = spec.Base.Model;
        var p = spec.Base.Pretrain;
        progress?.Report(new PreparationProgress(PreparationPhase.Pretrain, 0, p.Steps, $"tokenizer: {SpecNames.Of(spec.Base.Tokenizer.Kind)}"));
        // The user's corpus replaces the world's text, for the tokenizer as for the weights.
        var texts = PretrainTexts(spec, world);
        // A world base's word vocabulary is every word the world can produce (its suites too), a corpus base's its corpus's words.
        Func<WordTokenizer> words = spec.Base.Pretrain.Corpus is null ? world.BuildTokenizer : () => WordTokenizer.Build(texts);
        var tokenizer = BaseTokenizers.Train(spec.Base.Tokenizer, texts, words, folder, m.NCtx);
        var config = WorldBaseConfig.For(spec.Base, tokenizer.VocabSize);
        CheckBeforePretraining?.Invoke(tokenizer, config.MaxPositions);
        TorchSharp.torch.random.manual_seed(spec.Seed);
        using var model = ModelArchitectures.Create(config);
        var documents = texts.Select(tokenizer.EncodeText).ToList();
        var data = new PackedTextBatches(documents, m.NCtx, DocumentFraming.For(tokenizer), (ulong)spec.Seed);
        var settings = new TrainSettings(p.Steps, p.BatchSize, p.Lr, p.WarmupSteps, SpecMapping.Schedule(p.Schedule), p.WeightDecay, p.GradClip, CheckpointEvery: 0, spec.Seed);
        var reporter = progress is null ? null : new InlineProgress<TrainProgress>(t =>
            progress.Report(new PreparationProgress(PreparationPhase.Pretrain, t.Step, t.TotalSteps, $"loss {t.Loss:F3} · {t.TokensPerSecond:N0} tok/s")));
        Directory.CreateDirectory(folder);
        var probes = Probe is null ? null : new List<PretrainProbeScore>();
        var probing = Probe is null ? null : new ProbeScoring(Probe, model, tokenizer, spec.Eval.BatchSize);
        var probeClock = new Stopwatch();
        void Probed(int step)
        {
            if (!Probe!.IsDue(step, p.Steps)) return;
            probeClock.Start();
            foreach (var score in probing!.At(step))
            {
                probes!.Add(score);
                progress?.Report(new PreparationProgress(PreparationPhase.Pretrain, step, p.Steps, $"{ProbeDetailPrefix}{score.Suite} {score.Score:F1} at step {step}"));
            }
            probeClock.Stop();
        }
        var clock = Stopwatch.StartNew();
        var outcome = new Trainer(model, model.parameters().ToList(), null, data, settings)
        {
            Progress = reporter, FinalOptimizerState = Path.Combine(folder, OptimizerFile), AfterStep = Probe is null ? null : Probed,
        }.Run(null);
        clock.Stop();
        // The probes' time is not pre-training's: tokens/s stays comparable with an unprobed run.
        var seconds = clock.Elapsed.TotalSeconds - probeClock.Elapsed.TotalSeconds;
        if (outcome.Status != TrainingStatus.Completed)
            throw new InvalidOperationException($"pre-training diverged: {outcome.Reason}; lower base.pretrain.lr");
        ModelFolder.Save(model, folder);
        var tokens = (long)p.Steps * p.BatchSize * m.NCtx;
        var summary = new PretrainSummary(hash, p.Steps, tokens, seconds, tokens / seconds, outcome.Losses[^1].Loss, probes);
        File.WriteAllText(Path.Combine(folder, SummaryFile), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }
}
