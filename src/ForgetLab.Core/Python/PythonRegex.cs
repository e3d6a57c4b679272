using System.Text;
using System.Text.RegularExpressions;

namespace ForgetLab.Core.Python;

/// <summary>
/// Python's <c>re.sub</c> and <c>re.findall</c> on .NET's regex engine, which reads the patterns lm-evaluation-harness
/// task files use (classes, groups, anchors, <c>(?s)</c>, lazy quantifiers) the same way. Python-only syntax is
/// translated: <c>(?P&lt;name&gt;…)</c> and <c>(?P=name)</c> in patterns, <c>\1</c> and <c>\g&lt;name&gt;</c> in
/// replacements. A pattern .NET cannot read is an <see cref="ArgumentException"/> naming it.
/// </summary>
public static class PythonRegex
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static Regex Compile(string pattern)
    {
        var translated = Translate(pattern);
        try
        {
            // A hostile pattern must end: the engine gives up after the timeout rather than backtracking forever.
            return new Regex(translated, RegexOptions.CultureInvariant, Timeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the regular expression '{pattern}' cannot be read ({e.Message})", e);
        }
    }

    // Python's \Z is .NET's \z (the very end); (?P<name>…) and (?P=name) are .NET's (?<name>…) and \k<name>.
    private static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(pattern[i + 1] == 'Z' ? "\\z" : pattern.AsSpan(i, 2));
                i++;
            }
            else if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                i += 3;
            }
            else if (string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0 && pattern.IndexOf(')', i) is var close and > 0)
            {
                sb.Append("\\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                i = close;
            }
            else
            {
                sb.Append(pattern[i]);
            }
        }
        return sb.ToString();
    }

    /// <summary><c>re.sub(pattern, repl, text, count)</c>; count 0 replaces every match.</summary>
    public static string Sub(string pattern, string replacement, string text, long count = 0)
    {
        var regex = Compile(pattern);
        var repl = Replacement(replacement);
        return count <= 0 ? regex.Replace(text, repl) : regex.Replace(text, repl, (int)Math.Min(count, int.MaxValue));
    }

    /// <summary>
    /// <c>re.findall</c>: per match the whole match when the pattern has no group, the one group's text when it has
    /// one, else every group's text (a tuple in Python); an unmatched group is "".
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindAll(Regex regex, string text)
    {
        var groups = regex.GetGroupNumbers().Where(n => n > 0).ToArray();
        var result = new List<IReadOnlyList<string>>();
        foreach (Match m in regex.Matches(text))
        {
            result.Add(groups.Length == 0 ? [m.Value] : groups.Select(g => m.Groups[g].Success ? m.Groups[g].Value : "").ToArray());
        }
        return result;
    }

    // Python's replacement template: \1 … \99, \g<n>, \g<name>, \\ and the usual escapes; '$' is literal there.
    private static string Replacement(string repl)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < repl.Length; i++)
        {
            var c = repl[i];
            if (c == '$') { sb.Append("$$"); continue; }
            if (c != '\\' || i + 1 == repl.Length) { sb.Append(c); continue; }
            var e = repl[++i];
            if (char.IsAsciiDigit(e))
            {
                var digits = e.ToString();
                if (i + 1 < repl.Length && char.IsAsciiDigit(repl[i + 1])) digits += repl[++i];
                sb.Append("${").Append(digits).Append('}');
            }
            else if (e == 'g' && i + 1 < repl.Length && repl[i + 1] == '<' && repl.IndexOf('>', i) is var close and > 0)
            {
                sb.Append("${").Append(repl[(i + 2)..close]).Append('}');
                i = close;
            }
            else
            {
                sb.Append(e switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '\\' => "\\", _ => "\\" + e });
            }
        }
        return sb.ToString();
    }
}
