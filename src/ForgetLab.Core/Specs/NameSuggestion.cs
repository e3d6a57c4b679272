namespace ForgetLab.Core.Specs;

/// <summary>Finds the known name a typo was probably meant to be ("rnak" → "rank").</summary>
internal static class NameSuggestion
{
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var limit = typed.Length <= 4 ? 1 : 2;
        return known
            .Where(name => Math.Abs(name.Length - typed.Length) <= limit) // farther apart than that in length alone
            .Select(name => (Name: name, Distance: Distance(typed.ToLowerInvariant(), name)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>", did you mean 'x'?" when a known name is near, else empty.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known) =>
        Closest(typed, known) is { } near ? $", did you mean '{near}'?" : "";

    // Optimal string alignment distance: edits plus swaps of neighbours (the commonest typo).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }

        return d[a.Length, b.Length];
    }
}
