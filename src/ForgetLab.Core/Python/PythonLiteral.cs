using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Python;

/// <summary>
/// <c>ast.literal_eval</c> for the literals a rendered template can hold: strings (single, double or triple quoted,
/// with Python's escapes; adjacent ones concatenate), integers, floats, <c>True</c>/<c>False</c>/<c>None</c>,
/// lists, tuples (read as lists) and dicts with string keys. Anything else is a <see cref="FormatException"/>,
/// as it is a <c>ValueError</c>/<c>SyntaxError</c> in Python.
/// </summary>
public sealed class PythonLiteral
{
    private readonly string _s;
    private int _pos;

    private PythonLiteral(string s) => _s = s;

    public static object? Parse(string text)
    {
        var p = new PythonLiteral(text);
        p.SkipSpace();
        var value = p.Value(0);
        p.SkipSpace();
        if (p._pos != p._s.Length) throw new FormatException($"unexpected text at character {p._pos + 1}");
        return value;
    }

    private void SkipSpace()
    {
        while (_pos < _s.Length && _s[_pos] is ' ' or '\t' or '\n' or '\r' or '\f') _pos++;
    }

    private object? Value(int depth)
    {
        if (depth > 100) throw new FormatException("literal nested deeper than 100");
        SkipSpace();
        if (_pos >= _s.Length) throw new FormatException("unexpected end of the literal");
        var c = _s[_pos];
        switch (c)
        {
            case '[': return Sequence(']', depth);
            case '(': return Sequence(')', depth);
            case '{': return Dict(depth);
            case '\'' or '"': return Strings();
            case 'u' or 'U' when _pos + 1 < _s.Length && _s[_pos + 1] is '\'' or '"':
                _pos++;
                return Strings();
            case '-' or '+':
                _pos++;
                var operand = Value(depth + 1);
                return (c, operand) switch
                {
                    ('-', long n) => -n,
                    ('-', double d) => -d,
                    ('+', long or double) => operand,
                    _ => throw new FormatException("a sign before something that is not a number"),
                };
        }
        if (char.IsAsciiDigit(c) || c == '.') return Number();
        var start = _pos;
        while (_pos < _s.Length && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] == '_')) _pos++;
        return _s[start.._pos] switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            "" => throw new FormatException($"unexpected character '{c}'"),
            var name => throw new FormatException($"'{name}' is not a literal"),
        };
    }

    private List<object?> Sequence(char close, int depth)
    {
        _pos++;
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == close) { _pos++; return items; }
            items.Add(Value(depth + 1));
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == ',') { _pos++; continue; }
            if (_pos < _s.Length && _s[_pos] == close) { _pos++; return items; }
            throw new FormatException($"expected ',' or '{close}' at character {_pos + 1}");
        }
    }

    private OrderedDictionary<string, object?> Dict(int depth)
    {
        _pos++;
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == '}') { _pos++; return dict; }
            if (Value(depth + 1) is not string key) throw new FormatException("only string keys are read in a dict literal");
            SkipSpace();
            if (_pos >= _s.Length || _s[_pos] != ':') throw new FormatException($"expected ':' at character {_pos + 1}");
            _pos++;
            dict[key] = Value(depth + 1);
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == ',') { _pos++; continue; }
            if (_pos < _s.Length && _s[_pos] == '}') { _pos++; return dict; }
            throw new FormatException($"expected ',' or '}}' at character {_pos + 1}");
        }
    }

    private object Number()
    {
        var start = _pos;
        while (_pos < _s.Length && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] is '.' or '_'
               || (_s[_pos] is '+' or '-' && _s[_pos - 1] is 'e' or 'E'))) _pos++;
        var text = _s[start.._pos].Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (text.Length == 1 || text[0] != '0')) return n;
        if (text.All(ch => ch == '0')) return 0L;
        if (text.Any(ch => ch is '.' or 'e' or 'E') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        throw new FormatException($"'{text}' is not a number this reader takes");
    }

    private string Strings()
    {
        var sb = new StringBuilder();
        do
        {
            sb.Append(OneString());
            SkipSpace();
        }
        while (_pos < _s.Length && _s[_pos] is '\'' or '"');
        return sb.ToString();
    }

    private string OneString()
    {
        var quote = _s[_pos];
        var triple = _pos + 2 < _s.Length && _s[_pos + 1] == quote && _s[_pos + 2] == quote;
        _pos += triple ? 3 : 1;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length) throw new FormatException("a string literal is never closed");
            var c = _s[_pos];
            if (c == quote && (!triple || (_pos + 2 < _s.Length && _s[_pos + 1] == quote && _s[_pos + 2] == quote)))
            {
                _pos += triple ? 3 : 1;
                return sb.ToString();
            }
            if (c == '\n' && !triple) throw new FormatException("a line break inside a single-quoted string");
            _pos++;
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _s.Length) throw new FormatException("a string literal is never closed");
            var e = _s[_pos++];
            switch (e)
            {
                case '\n': break;
                case '\\' or '\'' or '"': sb.Append(e); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': sb.Append(Hex(2)); break;
                case 'u': sb.Append(Hex(4)); break;
                case 'U': sb.Append(Hex(8)); break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var k = 0; k < 2 && _pos < _s.Length && _s[_pos] is >= '0' and <= '7'; k++) value = (value * 8) + (_s[_pos++] - '0');
                    sb.Append(char.ConvertFromUtf32(value));
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
    }

    private string Hex(int digits)
    {
        if (_pos + digits > _s.Length || !int.TryParse(_s.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
            throw new FormatException("a malformed \\x, \\u or \\U escape");
        _pos += digits;
        return char.ConvertFromUtf32(code);
    }
}
