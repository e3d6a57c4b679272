using System.Globalization;
using System.Text;

namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// The <c>tojson</c> filter, as the reference renderer writes it (Python's <c>json.dumps(ensure_ascii=False)</c>
/// with the same separators): <c>", "</c> and <c>": "</c> without indent, <c>","</c> and <c>": "</c> with it;
/// non-ASCII characters stay as they are.
/// </summary>
internal static class Json
{
    private const int MaxDepth = 100;

    // A namespace may hold itself ({% set ns.me = ns %}): depth and length caps keep writing it finite.
    public static string Write(object? value, long? indent, int maxChars, int line)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent is > 0 ? (int)Math.Min(indent.Value, 64) : 0, 0, maxChars, line);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int indent, int depth, int maxChars, int line)
    {
        if (depth > MaxDepth) throw new ChatTemplateException($"value nested deeper than {MaxDepth} (a namespace holding itself?)", line);
        if (sb.Length > maxChars) throw new ChatTemplateException($"string longer than {maxChars} characters", line);
        var items = indent > 0 ? "," : ", ";
        var pad = indent > 0 ? "\n" + new string(' ', indent * depth) : "";
        var childPad = indent > 0 ? pad + new string(' ', indent) : "";
        switch (value)
        {
            case null or Undefined:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long n:
                sb.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // JSON.stringify prints integral floats without a fraction.
                sb.Append(double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "null");
                break;
            case string s:
                String(sb, s);
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(items);
                    sb.Append(childPad);
                    Write(sb, list[i], indent, depth + 1, maxChars, line);
                }
                if (list.Count > 0) sb.Append(pad);
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> or Namespace:
                var dict = value as OrderedDictionary<string, object?> ?? ((Namespace)value).Values;
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in dict)
                {
                    if (!first) sb.Append(items);
                    first = false;
                    sb.Append(childPad);
                    String(sb, k);
                    sb.Append(": ");
                    Write(sb, v, indent, depth + 1, maxChars, line);
                }
                if (dict.Count > 0) sb.Append(pad);
                sb.Append('}');
                break;
            default:
                String(sb, value.ToString() ?? "");
                break;
        }
    }

    private static void String(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case >= '\uD800' and <= '\uDBFF' when i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]):
                    sb.Append(c).Append(s[++i]);
                    break;
                case >= '\uD800' and <= '\uDFFF': // a lone surrogate, escaped as JSON.stringify does
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
