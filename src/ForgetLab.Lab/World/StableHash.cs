using System.Text;

namespace ForgetLab.Lab.World;

/// <summary>FNV-1a over UTF-8: a hash that, unlike string.GetHashCode, is the same in every process.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    public static string Hex8(string text) => (Of(text) & 0xFFFFFFFFUL).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
