using System.Globalization;
using System.Reflection;
using System.Text;

namespace ForgetLab.Core.Tokenizers.Normalization;

/// <summary>
/// Unicode normalization forms NFC, NFD, NFKC and NFKD (UAX #15), from data this assembly carries. The runtime
/// runs with invariant globalization, where <see cref="string.Normalize()"/> returns its input unchanged, yet
/// Qwen2's <c>tokenizer.json</c> asks for NFC: ids would differ on any decomposed accent without this.
/// The data (<c>unicode-normalization.txt</c>) is written by <c>tools/unicode-normalization/generate.pl</c>.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Load);

    public static string Normalize(string text, NormalizationForm form)
    {
        if (IsAscii(text)) return text;
        var tables = Data.Value;
        var compat = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        var points = Decompose(text, compat, tables);
        Reorder(points, tables);
        if (compose) Compose(points, tables);
        var sb = new StringBuilder(text.Length);
        foreach (var cp in points) sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }

    private static bool IsAscii(string text)
    {
        foreach (var c in text)
            if (c >= 0x80) return false;
        return true;
    }

    private static List<int> Decompose(string text, bool compat, Tables tables)
    {
        var points = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                cp = char.ConvertToUtf32(text[i], text[++i]);
            if (cp is >= SBase and < SBase + SCount)
            {
                var s = cp - SBase;
                points.Add(LBase + s / NCount);
                points.Add(VBase + s % NCount / TCount);
                if (s % TCount != 0) points.Add(TBase + s % TCount);
            }
            else if (compat && tables.Compatibility.TryGetValue(cp, out var k)) points.AddRange(k);
            else if (tables.Canonical.TryGetValue(cp, out var d)) points.AddRange(d);
            else points.Add(cp);
        }
        return points;
    }

    // Canonical ordering: a stable sort of every run of non-starters by combining class (OrderBy is stable, and
    // n log n however long a hostile run of marks is).
    private static void Reorder(List<int> points, Tables tables)
    {
        for (var i = 0; i < points.Count;)
        {
            if (Ccc(points[i], tables) == 0) { i++; continue; }
            var end = i;
            while (end < points.Count && Ccc(points[end], tables) != 0) end++;
            if (end - i > 1)
            {
                var sorted = points.GetRange(i, end - i).OrderBy(p => Ccc(p, tables)).ToArray();
                for (var k = 0; k < sorted.Length; k++) points[i + k] = sorted[k];
            }
            i = end;
        }
    }

    // The composition of UAX #15's sample code: a character joins the last starter unless a character between
    // them has a combining class at least as high (it is blocked).
    private static void Compose(List<int> points, Tables tables)
    {
        if (points.Count == 0) return;
        var starter = 0;
        var lastCcc = Ccc(points[0], tables) == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < points.Count; read++)
        {
            var cp = points[read];
            var ccc = Ccc(cp, tables);
            var composite = ComposePair(points[starter], cp, tables);
            if (composite >= 0 && (lastCcc < ccc || lastCcc == 0))
            {
                points[starter] = composite;
                continue;
            }
            if (ccc == 0) starter = write;
            lastCcc = ccc;
            points[write++] = cp;
        }
        points.RemoveRange(write, points.Count - write);
    }

    private static int ComposePair(int a, int b, Tables tables)
    {
        if (a is >= LBase and < LBase + LCount && b is >= VBase and < VBase + VCount)
            return SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
        if (a is >= SBase and < SBase + SCount && (a - SBase) % TCount == 0 && b is > TBase and < TBase + TCount)
            return a + (b - TBase);
        return tables.Composites.TryGetValue(((long)a << 21) | (uint)b, out var c) ? c : -1;
    }

    private static int Ccc(int cp, Tables tables) => tables.CombiningClass.TryGetValue(cp, out var c) ? c : 0;

    private sealed record Tables(
        Dictionary<int, int> CombiningClass,
        Dictionary<int, int[]> Canonical,
        Dictionary<int, int[]> Compatibility,
        Dictionary<long, int> Composites);

    private static Tables Load()
    {
        var ccc = new Dictionary<int, int>();
        var canonical = new Dictionary<int, int[]>();
        var compat = new Dictionary<int, int[]>();
        var composites = new Dictionary<long, int>();
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ForgetLab.Core.Tokenizers.unicode-normalization.txt")
            ?? throw new InvalidOperationException("The Unicode normalization data is missing from ForgetLab.Core.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(' ');
            var cp = int.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            switch (f[0])
            {
                case "C": ccc[cp] = int.Parse(f[2], CultureInfo.InvariantCulture); break;
                case "D": canonical[cp] = Seq(f); break;
                case "K": compat[cp] = Seq(f); break;
                case "P":
                    var b = int.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    composites[((long)cp << 21) | (uint)b] = int.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    break;
            }
        }

        // A code point with a canonical but no separate compatibility entry decomposes the same way under NFKD,
        // except where a piece of its canonical decomposition has a compatibility decomposition of its own.
        foreach (var (cp, seq) in canonical)
            if (!compat.ContainsKey(cp) && seq.Any(compat.ContainsKey))
                compat[cp] = seq.SelectMany(p => compat.TryGetValue(p, out var k) ? k : [p]).ToArray();
        return new Tables(ccc, canonical, compat, composites);

        static int[] Seq(string[] f) => f.Skip(2).Select(h => int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
    }
}
