using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ForgetLab.Grains.Tenants;

/// <summary>
/// API key secrets: <c>flk_{tenant}_{keyId}_{random}</c>, 256 random bits. The tenant id in the
/// secret tells the API which tenant grain verifies it; only the SHA-256 of the whole secret is
/// stored (a plain hash suffices for 256-bit random secrets, unlike passwords).
/// </summary>
public static class ApiKeySecrets
{
    private const string Prefix = "flk_";

    public static (string KeyId, string Secret) Create(string tenantId)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var random = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (keyId, $"{Prefix}{tenantId}_{keyId}_{random}");
    }

    /// <summary>Reads the tenant and key id out of a secret; false for anything not shaped like one.</summary>
    public static bool TryParse(string? secret, [NotNullWhen(true)] out string? tenantId, [NotNullWhen(true)] out string? keyId)
    {
        tenantId = keyId = null;
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = secret[Prefix.Length..].Split('_', 3);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0) return false;
        (tenantId, keyId) = (parts[0], parts[1]);
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares hashes in constant time, so timing tells an attacker nothing.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
