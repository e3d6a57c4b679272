using ForgetLab.Core.Jobs;
using ForgetLab.Lab.Baselines;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Runs;

/// <summary>Where a lab run keeps its model cache, how many CPU threads torch may use, and who hears progress.</summary>
public sealed record LabRunnerOptions
{
    /// <summary>Pre-trained bases, one folder per spec hash. Default: $FORGETLAB_CACHE, else ~/.cache/forgetlab/models.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>Torch intra-op threads; null leaves torch's default (all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Hears how the run goes, event by event: a progress display, or the worker's job relaying them on stdout.</summary>
    public IProgress<JobEvent>? Progress { get; init; }

    /// <summary>
    /// Hears what the run should know before it trains (a bfloat16 run on a CPU without bfloat16 matmul, <see cref="Training.CpuBfloat16"/>):
    /// the worker's job writes it to stderr, which the worker logs. Null: nobody hears (the CLI checks before it starts its display).
    /// </summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Another folder of world facts (countries.json, elements.json); null uses the built-in data. Tests use small worlds.</summary>
    public string? WorldDataDirectory { get; init; }

    /// <summary>How much generated skill text pre-training mixes in; its seed is always the spec's. Null: the defaults.</summary>
    public WorldCorpusOptions? Corpus { get; init; }

    /// <summary>The folder of the registered model a spec's <c>base.model_ref</c> names, downloaded by the worker; null outside the platform.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// The folders of the registered models (or adapters) a job's <c>evaluate</c> entries name by <c>model_ref</c>, by entry name, downloaded by
    /// the worker; empty outside the platform.
    /// </summary>
    public IReadOnlyDictionary<string, string> EvaluatedModelDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the worker asks for a checkpoint now (its run is preempted); null outside the platform. See <see cref="Training.Trainer.CheckpointRequested"/>.</summary>
    public Func<bool>? CheckpointRequested { get; init; }

    /// <summary>Shares the base's baseline with the platform (a worker's job); null keeps it in the model cache only.</summary>
    public IBaselineExchange? Baselines { get; init; }

    /// <summary>Tells apart bases pre-trained on a non-default world, which share a spec hash with the default one.</summary>
    internal string? WorldVariant =>
        WorldDataDirectory is null && Corpus is null
            ? null
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                $"{(WorldDataDirectory is null ? "" : string.Concat(Directory.GetFiles(WorldDataDirectory).Order().Select(File.ReadAllText)))}|{Corpus?.ArithmeticLines}|{Corpus?.CopyLines}")))[..8];

    public static string DefaultCacheDirectory() =>
        Environment.GetEnvironmentVariable("FORGETLAB_CACHE") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "forgetlab", "models");
}
