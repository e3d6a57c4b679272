using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ForgetLab.Grains.Common;

/// <summary>
/// Grain keys are tenant-prefixed: "{tenant}/{experiment}" and "{tenant}/{experiment}/{run}". Ids
/// never contain '/', so a key splits back into its parts without ambiguity.
/// </summary>
public static partial class GrainKeys
{
    /// <summary>The single key of the GPU pool grain.</summary>
    public const string Pool = "pool";

    /// <summary>Scope of what every tenant shares (baselines of the built-in world's bases); no tenant id can be it.</summary>
    public const string SharedScope = "_shared";

    /// <summary>A base model's baseline: "_shared/{hash}", or "{tenant}/{hash}" for a tenant's own model.</summary>
    public static string Baseline(string? tenantId, string modelHash) => $"{tenantId ?? SharedScope}/{modelHash}";

    public static string Experiment(string tenantId, string experimentId) => $"{tenantId}/{experimentId}";

    public static string Run(string tenantId, string experimentId, string runId) => $"{tenantId}/{experimentId}/{runId}";

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
    public static bool IsTenantId(string? id) => id is not null && TenantIdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantIdPattern();
}
