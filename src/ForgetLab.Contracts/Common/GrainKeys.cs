using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ForgetLab.Contracts.Common;

/// <summary>
/// Every grain key is built here, and only here. Keys are tenant-prefixed: "{tenant}/{experiment}"
/// and "{tenant}/{experiment}/{run}". Each builder refuses an id that is not one (empty, too long,
/// a '/' or any other character an id cannot have) with an <see cref="ArgumentException"/> naming
/// it, so no id from a URL, a form or a worker can reach into another tenant's key space, whether
/// or not the call site remembered to check. A valid id's key is exactly the string it always was,
/// so state stored under it is still found.
/// </summary>
public static partial class GrainKeys
{
    /// <summary>The single key of the GPU pool grain.</summary>
    public const string Pool = "pool";

    /// <summary>Scope of what every tenant shares (baselines of the built-in world's bases); no tenant id can be it.</summary>
    public const string SharedScope = "_shared";

    /// <summary>Characters of an experiment id (a spec's <c>name</c>): 1-64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.</summary>
    public const int MaxExperimentIdChars = 64;

    /// <summary>
    /// Characters of a run id (a recipe's name: method label, learning rate, steps, seed and
    /// consolidations, after a variant's name), of the same characters as an experiment id.
    /// </summary>
    public const int MaxRunIdChars = 255;

    /// <summary>Characters of a base model's hash (16 hex digits, a world variant's suffix, or a file hash).</summary>
    public const int MaxModelHashChars = 128;

    /// <summary>The key of a tenant's own grains (tenant, experiment directory, model registry): the tenant id.</summary>
    public static string Tenant(string tenantId) => Checked(tenantId, IsTenantId(tenantId), "tenant id", TenantRule);

    public static string Experiment(string tenantId, string experimentId) =>
        $"{Tenant(tenantId)}/{Checked(experimentId, IsExperimentId(experimentId), "experiment id", ExperimentRule)}";

    public static string Run(string tenantId, string experimentId, string runId) =>
        $"{Experiment(tenantId, experimentId)}/{Checked(runId, IsRunId(runId), "run id", RunRule)}";

    /// <summary>A base model's baseline: "_shared/{hash}", or "{tenant}/{hash}" for a tenant's own model.</summary>
    public static string Baseline(string? tenantId, string modelHash) =>
        $"{(tenantId is null ? SharedScope : Tenant(tenantId))}/{Checked(modelHash, IsModelHash(modelHash), "model hash", ModelHashRule)}";

    /// <summary>The experiment key a run key belongs to ("{tenant}/{experiment}").</summary>
    public static string ExperimentOf(string runKey) =>
        TrySplitRun(runKey, out var tenantId, out var experimentId, out _)
            ? Experiment(tenantId, experimentId)
            : throw new ArgumentException($"'{runKey}' is not a run key (tenant/experiment/run)", nameof(runKey));

    /// <summary>The tenant a tenant-prefixed key belongs to.</summary>
    public static string TenantOf(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    /// <summary>The last part of a key (experiment or run id).</summary>
    public static string LeafOf(string key) => key[(key.LastIndexOf('/') + 1)..];

    public static bool TrySplitRun(string key, [NotNullWhen(true)] out string? tenantId, [NotNullWhen(true)] out string? experimentId, [NotNullWhen(true)] out string? runId)
    {
        var parts = key.Split('/');
        (tenantId, experimentId, runId) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (null, null, null);
        return parts.Length == 3;
    }

    /// <summary>Tenant ids: 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit.</summary>
    public static bool IsTenantId([NotNullWhen(true)] string? id) => id is not null && TenantIdPattern().IsMatch(id);

    /// <summary>Experiment ids: what a spec's <c>name</c> may be (<see cref="MaxExperimentIdChars"/>).</summary>
    public static bool IsExperimentId([NotNullWhen(true)] string? id) => id is not null && ExperimentIdPattern().IsMatch(id);

    /// <summary>Run ids: the characters of a spec name, at most <see cref="MaxRunIdChars"/>.</summary>
    public static bool IsRunId([NotNullWhen(true)] string? id) => id is not null && RunIdPattern().IsMatch(id);

    /// <summary>Model hashes: 1-128 letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsModelHash([NotNullWhen(true)] string? hash) => hash is not null && ModelHashPattern().IsMatch(hash);

    /// <summary>What a tenant id is, in the words a refusal uses.</summary>
    public const string TenantRule = "1-63 characters of a-z, 0-9 or '-', starting with a letter or digit";

    /// <summary>What an experiment id (a spec's name) is, in the words a refusal uses.</summary>
    public const string ExperimentRule = "1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    private const string RunRule = "1-255 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
    private const string ModelHashRule = "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static string Checked(string? id, bool valid, string what, string rule) =>
        valid ? id! : throw new ArgumentException($"{what} {Quote(id)} is not a valid id: it must be {rule}", what.Replace(' ', '_'));

    private static string Quote(string? id) => InputLimits.Quote(id);

    // \z, not $: '$' would also match before a trailing newline, letting "a\n" through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex TenantIdPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex ExperimentIdPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,254}\z")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z")]
    private static partial Regex ModelHashPattern();
}
