using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Python;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of the values a JSON or CSV document holds (null, bool, long, double,
/// string, <c>List&lt;object?&gt;</c>, <c>OrderedDictionary&lt;string, object?&gt;</c>): what Python's Jinja prints
/// for <c>{{ value }}</c>, and what lm-evaluation-harness then reads back with <c>ast.literal_eval</c>
/// (<c>doc_to_choice: "{{choices.text}}"</c> prints <c>['a', 'b']</c>).
/// </summary>
public static class PythonValues
{
    public static string Str(object? value) => value switch
    {
        string s => s,
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        Repr(sb, value, 0);
        return sb.ToString();
    }

    private static void Repr(StringBuilder sb, object? value, int depth)
    {
        if (depth > 100) throw new ArgumentException("value nested deeper than 100");
        switch (value)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case int n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(FloatRepr(d)); break;
            case string s: StringRepr(sb, s); break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Repr(sb, list[i], depth + 1);
                }
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    StringRepr(sb, k);
                    sb.Append(": ");
                    Repr(sb, v, depth + 1);
                }
                sb.Append('}');
                break;
            default:
                throw new ArgumentException($"no Python form for {value.GetType().Name}");
        }
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, positional for exponents −4 to 15, else <c>1e+16</c> style.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // .NET's "R" is the shortest round-trip digit string too; only the layout differs.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var sign = d < 0 ? "-" : "";
        var decpt = exponent + 1; // value = 0.DIGITS × 10^decpt
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (decpt <= 0) return $"{sign}0.{new string('0', -decpt)}{digits}";
        if (decpt >= digits.Length) return $"{sign}{digits}{new string('0', decpt - digits.Length)}.0";
        return $"{sign}{digits[..decpt]}.{digits[decpt..]}";
    }

    // "1.2345E+20" or "123.45" or "0.00012" → significant digits and the exponent of the first one.
    private static (string Digits, int Exponent) Decompose(string s)
    {
        var e = s.IndexOfAny(['E', 'e']);
        var exp = e >= 0 ? int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? s[..e] : s;
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        return (digits, exp + intPart.Length - 1 - lead);
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has one and no double quote; escapes as CPython writes them.</summary>
    public static void StringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\') sb.Append('\\').Append((char)c);
            else if (c == '\t') sb.Append("\\t");
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c < 0x20 || c == 0x7f) sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            else if (c < 0x7f || IsPrintable(rune)) sb.Append(rune.ToString());
            else if (c <= 0xff) sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            else if (c <= 0xffff) sb.Append(CultureInfo.InvariantCulture, $"\\u{c:x4}");
            else sb.Append(CultureInfo.InvariantCulture, $"\\U{c:x8}");
        }
        sb.Append(quote);
    }

    // str.isprintable: not Other (Cc, Cf, Cs, Co, Cn) nor Separator (Zl, Zp, Zs) except the ASCII space.
    private static bool IsPrintable(Rune r) => Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => r.Value == ' ',
        _ => true,
    };
}
