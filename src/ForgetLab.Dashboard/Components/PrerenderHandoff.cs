using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace ForgetLab.Dashboard.Components;

/// <summary>
/// Carries a page's data from its prerender to the same page's first interactive render. A prerendered page is built
/// twice: once for the HTML the browser shows at once, and again when its circuit starts. Without this the second
/// build loads the data again and puts a loading bar over the page already on screen until it has. Only a random
/// token travels in the page's persisted state (a few bytes, not the data); the data waits here, is taken once, only
/// by the user it was loaded for, and only within <see cref="Lifetime"/>. At most <see cref="Capacity"/> wait at a
/// time, so page loads cannot grow the server's memory; a page that finds nothing here (a circuit that started late or
/// on another server, or a full handoff) loads its data as before.
/// </summary>
public sealed class PrerenderHandoff(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, Entry> _waiting = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="data"/> for <paramref name="user"/>'s circuit; the token to persist, or null when full.</summary>
    public string? Give(ClaimsPrincipal user, object data)
    {
        var now = clock.GetUtcNow();
        foreach (var (token, entry) in _waiting)
            if (entry.Expires <= now) _waiting.TryRemove(token, out _);
        if (_waiting.Count >= Capacity) return null;

        var issued = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _waiting[issued] = new Entry(Owner(user), data, now + Lifetime);
        return issued;
    }

    /// <summary>The data given under <paramref name="token"/>, once, if it is <paramref name="user"/>'s and still fresh.</summary>
    public T? Take<T>(string? token, ClaimsPrincipal user) where T : class
    {
        if (token is null || !_waiting.TryRemove(token, out var entry)) return null;
        return entry.Owner == Owner(user) && entry.Expires > clock.GetUtcNow() ? entry.Data as T : null;
    }

    private static string Owner(ClaimsPrincipal user) =>
        string.Join('\n', user.Claims.Select(c => $"{c.Type}={c.Value}"));

    private sealed record Entry(string Owner, object Data, DateTimeOffset Expires);
}
