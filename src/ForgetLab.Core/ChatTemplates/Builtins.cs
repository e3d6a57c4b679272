using System.Globalization;
using System.Text;

namespace ForgetLab.Core.ChatTemplates;

/// <summary>The filters, string/dict methods and global functions of the subset (names listed in <see cref="Parser"/>).</summary>
internal static class Builtins
{
    public static object? Filter(Evaluator ev, string name, object? v, List<object?> args, Dictionary<string, object?> kwargs, int line)
    {
        object? Arg(int i, string key, object? dflt) => i < args.Count ? args[i] : kwargs.TryGetValue(key, out var k) ? k : dflt;
        switch (name)
        {
            case "trim":
                return Strip(ev.Text(v, line), Arg(0, "chars", null) as string, left: true, right: true);
            case "length" or "count":
                return v switch
                {
                    string s => (long)s.EnumerateRunes().Count(),
                    List<object?> l => (long)l.Count,
                    OrderedDictionary<string, object?> d => (long)d.Count,
                    Undefined => 0L,
                    _ => throw new ChatTemplateException($"filter '{name}' needs a string, list or dict, not {Evaluator.TypeName(v)}", line),
                };
            case "tojson":
                var indent = Arg(0, "indent", null);
                return ev.Capped(Json.Write(v, indent is long width ? width : null, ev.MaxStringLength, line), line);
            case "items":
                return v switch
                {
                    OrderedDictionary<string, object?> d => d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
                    Namespace ns => ns.Values.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
                    Undefined => new List<object?>(),
                    _ => throw new ChatTemplateException($"filter 'items' needs a dict, not {Evaluator.TypeName(v)}", line),
                };
            case "join":
                var separator = ev.Text(Arg(0, "d", ""), line);
                return ev.Capped(string.Join(separator, AsList(v, name, line).Select(x => ev.Text(x, line))), line);
            case "select" or "reject":
                if (args.Count == 0) return AsList(v, name, line).Where(x => Evaluator.Truthy(x) == (name == "select")).ToList();
                var test = args[0] as string ?? throw new ChatTemplateException($"filter '{name}' needs a test name", line);
                if (!Parser.Tests.Contains(test)) throw new ChatTemplateException($"unsupported test '{test}'", line);
                return AsList(v, name, line).Where(x => ev.RunTest(test, x, args[1..], line) == (name == "select")).ToList();
            case "selectattr" or "rejectattr":
                var attr = args.Count > 0 ? args[0] as string : null;
                if (attr is null) throw new ChatTemplateException($"filter '{name}' needs an attribute name", line);
                var attrTest = args.Count > 1 ? args[1] as string : null;
                if (attrTest is not null && !Parser.Tests.Contains(attrTest)) throw new ChatTemplateException($"unsupported test '{attrTest}'", line);
                return AsList(v, name, line).Where(x =>
                {
                    var a = Evaluator.Attribute(x, attr);
                    var pass = attrTest is null ? Evaluator.Truthy(a) : ev.RunTest(attrTest, a, args[2..], line);
                    return pass == (name == "selectattr");
                }).ToList();
            case "upper":
                return ev.Text(v, line).ToUpperInvariant();
            case "lower":
                return ev.Text(v, line).ToLowerInvariant();
            case "capitalize":
                var c = ev.Text(v, line);
                return c.Length == 0 ? c : char.ToUpperInvariant(c[0]) + c[1..].ToLowerInvariant();
            case "title":
                return Title(ev.Text(v, line));
            case "replace":
                return ev.Capped(ev.Text(v, line).Replace(ev.Text(Arg(0, "old", ""), line), ev.Text(Arg(1, "new", ""), line), StringComparison.Ordinal), line);
            case "default" or "d":
                var useFalsy = Evaluator.Truthy(Arg(1, "boolean", false));
                return v is Undefined || (useFalsy && !Evaluator.Truthy(v)) ? Arg(0, "default_value", "") : v;
            case "first":
                return v switch
                {
                    List<object?> l => l.Count > 0 ? l[0] : Undefined.Instance,
                    string s => s.Length > 0 ? Evaluator.Runes(s)[0] : Undefined.Instance,
                    _ => throw new ChatTemplateException($"filter 'first' needs a list or string, not {Evaluator.TypeName(v)}", line),
                };
            case "last":
                return v switch
                {
                    List<object?> l => l.Count > 0 ? l[^1] : Undefined.Instance,
                    string s => s.Length > 0 ? Evaluator.Runes(s)[^1] : Undefined.Instance,
                    _ => throw new ChatTemplateException($"filter 'last' needs a list or string, not {Evaluator.TypeName(v)}", line),
                };
            case "string" or "safe":
                return ev.Text(v, line);
            case "int":
                return v switch
                {
                    long n => n,
                    double d => (long)Math.Truncate(d),
                    bool b => b ? 1L : 0L,
                    string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                    _ => Arg(0, "default", 0L),
                };
            case "float":
                return v switch
                {
                    long n => (double)n,
                    double d => d,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                    _ => Arg(0, "default", 0.0),
                };
            case "list":
                return v is string str ? Evaluator.Runes(str) : new List<object?>(AsList(v, name, line));
            case "regex_replace":
                var pattern = ev.Text(Arg(0, "pattern", ""), line);
                var replacement = ev.Text(Arg(1, "repl", ""), line);
                var times = Arg(2, "count", 0L) is long t ? t : 0;
                try
                {
                    return ev.Capped(Python.PythonRegex.Sub(pattern, replacement, ev.Text(v, line), times), line);
                }
                catch (ArgumentException e)
                {
                    throw new ChatTemplateException($"filter 'regex_replace': {e.Message}", line);
                }
            case "abs":
                return v switch
                {
                    long n => (object)Math.Abs(n),
                    double d => Math.Abs(d),
                    _ => throw new ChatTemplateException($"filter 'abs' needs a number, not {Evaluator.TypeName(v)}", line),
                };
            default:
                throw new ChatTemplateException($"unsupported filter '{name}'", line);
        }
    }

    public static object? Method(Evaluator ev, object? target, string name, List<object?> args, Dictionary<string, object?> kwargs, int line)
    {
        object? Arg(int i, string key, object? dflt) => i < args.Count ? args[i] : kwargs.TryGetValue(key, out var k) ? k : dflt;
        switch (target, name)
        {
            case (string s, "strip"): return Strip(s, Arg(0, "chars", null) as string, true, true);
            case (string s, "lstrip"): return Strip(s, Arg(0, "chars", null) as string, true, false);
            case (string s, "rstrip"): return Strip(s, Arg(0, "chars", null) as string, false, true);
            case (string s, "upper"): return s.ToUpperInvariant();
            case (string s, "lower"): return s.ToLowerInvariant();
            case (string s, "title"): return Title(s);
            case (string s, "capitalize"): return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case (string s, "startswith" or "endswith"):
                var probes = Arg(0, "prefix", null) switch
                {
                    string p => [p],
                    List<object?> l => l.OfType<string>().ToList(),
                    var other => throw new ChatTemplateException($"'.{name}()' needs a string, not {Evaluator.TypeName(other)}", line),
                };
                return probes.Any(p => name == "startswith" ? s.StartsWith(p, StringComparison.Ordinal) : s.EndsWith(p, StringComparison.Ordinal));
            case (string s, "replace"):
                return ev.Capped(s.Replace(ev.Text(Arg(0, "old", ""), line), ev.Text(Arg(1, "new", ""), line), StringComparison.Ordinal), line);
            case (string s, "split"):
                var sep = Arg(0, "sep", null);
                var max = Arg(1, "maxsplit", -1L) is long m ? m : -1;
                var count = max < 0 ? int.MaxValue : (int)Math.Min(int.MaxValue - 1, max) + 1;
                return sep switch
                {
                    null => s.Split((char[]?)null, count, StringSplitOptions.RemoveEmptyEntries).Select(p => (object?)p).ToList(),
                    string { Length: > 0 } t => s.Split(t, count).Select(p => (object?)p).ToList(),
                    _ => throw new ChatTemplateException("'.split()' needs a non-empty separator", line),
                };
            case (List<object?> l, "index"):
                var wanted = Arg(0, "value", null);
                var at = l.FindIndex(x => Evaluator.Equal(x, wanted));
                return at >= 0 ? (long)at : throw new ChatTemplateException($"'.index()': {ev.Text(wanted, line)} is not in the list", line);
            case (OrderedDictionary<string, object?> d, "items"):
                return d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList();
            case (OrderedDictionary<string, object?> d, "keys"):
                return d.Keys.Select(k => (object?)k).ToList();
            case (OrderedDictionary<string, object?> d, "values"):
                return d.Values.ToList();
            case (OrderedDictionary<string, object?> d, "get"):
                return Arg(0, "key", null) is string key && d.TryGetValue(key, out var found) ? found : Arg(1, "default", null);
            default:
                throw new ChatTemplateException($"{Evaluator.TypeName(target)} has no method '.{name}()'", line);
        }
    }

    public static object? Function(Evaluator ev, string name, List<object?> args, Dictionary<string, object?> kwargs, int line, TimeProvider time)
    {
        switch (name)
        {
            case "namespace":
                var ns = new Namespace();
                foreach (var a in args)
                    if (a is OrderedDictionary<string, object?> d)
                        foreach (var (k, v) in d) ns.Values[k] = v;
                foreach (var (k, v) in kwargs) ns.Values[k] = v;
                return ns;
            case "raise_exception":
                throw new ChatTemplateException($"the template raised an exception: {(args.Count > 0 ? ev.Text(args[0], line) : "")}", line);
            case "strftime_now":
                return Strftime(time.GetLocalNow().DateTime, args.Count > 0 ? ev.Text(args[0], line) : "", line);
            case "range":
                if (args.Count is 0 or > 3 || args.Any(a => a is not long))
                    throw new ChatTemplateException("range() takes one to three integers", line);
                var n = args.Select(a => (long)a!).ToList();
                var (start, stop, step) = n.Count == 1 ? (0, n[0], 1) : (n[0], n[1], n.Count == 3 ? n[2] : 1);
                if (step == 0) throw new ChatTemplateException("range() step cannot be zero", line);
                var length = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
                if (length > ev.MaxListLength) throw new ChatTemplateException($"range() longer than {ev.MaxListLength} items", line);
                var result = new List<object?>((int)length);
                for (var i = 0L; i < length; i++) result.Add(start + (i * step));
                return result;
            default:
                throw new ChatTemplateException($"unsupported function '{name}()'", line);
        }
    }

    private static List<object?> AsList(object? v, string filter, int line) => v switch
    {
        List<object?> l => l,
        OrderedDictionary<string, object?> d => [.. d.Keys],
        string s => Evaluator.Runes(s),
        Undefined => [],
        _ => throw new ChatTemplateException($"filter '{filter}' needs a list, not {Evaluator.TypeName(v)}", line),
    };

    // Python's str.strip: whitespace by default, else any of the given characters.
    private static string Strip(string s, string? chars, bool left, bool right)
    {
        int a = 0, z = s.Length;
        bool Strippable(char c) => chars is null ? char.IsWhiteSpace(c) : chars.Contains(c, StringComparison.Ordinal);
        if (left) while (a < z && Strippable(s[a])) a++;
        if (right) while (z > a && Strippable(s[z - 1])) z--;
        return s[a..z];
    }

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousIsLetter = false;
        foreach (var c in s)
        {
            sb.Append(previousIsLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousIsLetter = char.IsLetter(c);
        }
        return sb.ToString();
    }

    // The strftime directives chat templates use for dates (Llama-3.2's "%d %b %Y").
    private static string Strftime(DateTime t, string format, int line)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var d = format[++i];
            sb.Append(d switch
            {
                'd' => t.ToString("dd", inv),
                'm' => t.ToString("MM", inv),
                'y' => t.ToString("yy", inv),
                'Y' => t.ToString("yyyy", inv),
                'b' => t.ToString("MMM", inv),
                'B' => t.ToString("MMMM", inv),
                'a' => t.ToString("ddd", inv),
                'A' => t.ToString("dddd", inv),
                'H' => t.ToString("HH", inv),
                'M' => t.ToString("mm", inv),
                'S' => t.ToString("ss", inv),
                'j' => t.DayOfYear.ToString("000", inv),
                '%' => "%",
                _ => throw new ChatTemplateException($"unsupported strftime directive '%{d}'", line),
            });
        }
        return sb.ToString();
    }
}
