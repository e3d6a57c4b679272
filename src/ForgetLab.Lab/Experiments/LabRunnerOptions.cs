namespace ForgetLab.Lab.Experiments;

/// <summary>Where a lab run keeps its model cache, how many CPU threads torch may use, and who hears progress.</summary>
public sealed record LabRunnerOptions
{
    /// <summary>Pre-trained bases, one folder per spec hash. Default: $FORGETLAB_CACHE, else ~/.cache/forgetlab/models.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>Torch intra-op threads; null leaves torch's default (all cores).</summary>
    public int? Threads { get; init; }

    public IProgress<LabEvent>? Progress { get; init; }

    public static string DefaultCacheDirectory() =>
        Environment.GetEnvironmentVariable("FORGETLAB_CACHE") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "forgetlab", "models");
}
