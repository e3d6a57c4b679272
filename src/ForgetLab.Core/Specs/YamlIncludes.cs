namespace ForgetLab.Core.Specs;

/// <summary>
/// lm-evaluation-harness's <c>include:</c> chains, followed the same way by the lab's task reader and the server's upload
/// check: each file is read once (a file included along two paths is memoised, so includes cannot fan out
/// exponentially), at most <see cref="MaxFiles"/> distinct files in one task, and a file that includes itself, directly
/// or through others, is refused with the chain that closes the cycle.
/// </summary>
public static class YamlIncludes
{
    /// <summary>Files one task may read, itself and every file it includes, directly or not (real tasks use two or three).</summary>
    public const int MaxFiles = 16;

    /// <summary>
    /// The merged value of <paramref name="root"/>. <paramref name="read"/> gives a file's own value and the files it
    /// includes (already resolved to keys, with the line of its <c>include</c>); <paramref name="merge"/> combines a file's
    /// own value with its includes' merged values, in the order listed; <paramref name="display"/> is how a key is named
    /// in messages.
    /// </summary>
    public static T Merge<T>(
        string root,
        Func<string, (T Own, int IncludeLine, IReadOnlyList<string> Includes)> read,
        Func<T, IReadOnlyList<T>, T> merge,
        Func<string, string> display)
    {
        var done = new Dictionary<string, T>(StringComparer.Ordinal);
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        T Visit(string key, int line)
        {
            if (done.TryGetValue(key, out var known)) return known;
            if (chain.IndexOf(key) is >= 0 and var at)
                throw new YamlInputException(display(chain[^1]), line,
                    $"include: a cycle: {string.Join(" → ", chain.Skip(at).Append(key).Select(k => Path.GetFileName(display(k))))}");
            if (seen.Count >= MaxFiles)
                throw new YamlInputException(display(chain[^1]), line,
                    $"include: '{Path.GetFileName(display(key))}' would be file {seen.Count + 1} of this task; the limit is {MaxFiles} files, the task itself and everything it includes");
            seen.Add(key);
            chain.Add(key);
            var (own, includeLine, includes) = read(key);
            var parts = new List<T>(includes.Count);
            foreach (var included in includes) parts.Add(Visit(included, includeLine));
            chain.RemoveAt(chain.Count - 1);
            return done[key] = merge(own, parts);
        }

        return Visit(root, 0);
    }
}
