using System.Globalization;
using System.Text;

namespace ForgetLab.Core.ChatTemplates;

internal enum TokenKind { Text, VarStart, VarEnd, BlockStart, BlockEnd, Name, String, Integer, Float, Operator, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Line);

/// <summary>
/// Splits a template into text and tag tokens the way Jinja's lexer does under a <see cref="TemplateDialect"/>
/// (transformers: <c>trim_blocks=True, lstrip_blocks=True</c>, one trailing newline dropped): <c>{%-</c>/<c>-%}</c>
/// strip all whitespace on that side; <c>trim_blocks</c> drops the first newline after a block or comment tag;
/// <c>lstrip_blocks</c> drops spaces and tabs between the start of a line and a block or comment tag.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="];

    private readonly string _src;
    private readonly TemplateDialect _dialect;
    private readonly int[] _lineStarts;
    private readonly List<Token> _tokens = [];
    private int _pos;

    private Lexer(string source, TemplateDialect dialect)
    {
        _dialect = dialect;
        // Jinja's keep_trailing_newline=False: one final newline never reaches the output.
        _src = !dialect.KeepTrailingNewline && source.EndsWith('\n') ? source[..^1] : source;
        var starts = new List<int> { 0 };
        for (var i = 0; i < _src.Length; i++)
            if (_src[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    public static List<Token> Tokenize(string source, TemplateDialect? dialect = null)
    {
        var lexer = new Lexer(source, dialect ?? TemplateDialect.Transformers);
        lexer.Run();
        return lexer._tokens;
    }

    private int LineAt(int pos)
    {
        var i = Array.BinarySearch(_lineStarts, pos);
        return (i >= 0 ? i : ~i - 1) + 1;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            var open = FindOpen(_pos);
            var textEnd = open < 0 ? _src.Length : open;
            var text = _src[_pos..textEnd];
            var textStart = _pos;
            if (open < 0)
            {
                Emit(TokenKind.Text, text, textStart);
                break;
            }
            var kind = _src[open + 1];
            var modifier = open + 2 < _src.Length ? _src[open + 2] : '\0';
            if (modifier == '-')
                text = text.TrimEnd();
            else if (kind != '{' && modifier != '+' && _dialect.LStripBlocks)
                text = LStrip(text, textStart);
            if (text.Length > 0) Emit(TokenKind.Text, text, textStart);
            _pos = open + 2 + (modifier == '-' || (modifier == '+' && kind != '{') ? 1 : 0);
            switch (kind)
            {
                case '#': Comment(open); break;
                case '{': Tag(TokenKind.VarStart, TokenKind.VarEnd, "}}", open); break;
                default: Tag(TokenKind.BlockStart, TokenKind.BlockEnd, "%}", open); break;
            }
        }
        _tokens.Add(new Token(TokenKind.End, "", LineAt(_src.Length)));
    }

    private int FindOpen(int from)
    {
        for (var i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
            if (_src[i + 1] is '{' or '%' or '#') return i;
        return -1;
    }

    // lstrip_blocks: only the spaces and tabs between a line's start and the tag go.
    private string LStrip(string text, int textStart)
    {
        var i = text.Length;
        while (i > 0 && text[i - 1] is ' ' or '\t') i--;
        var atLineStart = i > 0 ? text[i - 1] == '\n' : textStart == 0 || _src[textStart - 1] == '\n';
        return atLineStart ? text[..i] : text;
    }

    private void AfterClose(int closeStart, int closeLength, bool trimBlock)
    {
        var stripAll = closeStart > 0 && _src[closeStart - 1] == '-';
        _pos = closeStart + closeLength;
        if (stripAll)
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos])) _pos++;
        else if (trimBlock && _dialect.TrimBlocks && _pos < _src.Length && _src[_pos] == '\n')
            _pos++;
    }

    private void Comment(int open)
    {
        var close = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (close < 0) throw new ChatTemplateException("comment '{#' is never closed with '#}'", LineAt(open));
        AfterClose(close, 2, trimBlock: true);
    }

    private void Tag(TokenKind startKind, TokenKind endKind, string close, int open)
    {
        Emit(startKind, "", open);
        var depth = 0;
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos])) _pos++;
            if (_pos >= _src.Length)
                throw new ChatTemplateException($"tag opened here is never closed with '{close}'", LineAt(open));
            if (depth == 0)
            {
                var closeAt = _src[_pos] == '-' && string.CompareOrdinal(_src, _pos + 1, close, 0, 2) == 0 ? _pos + 1
                    : string.CompareOrdinal(_src, _pos, close, 0, 2) == 0 ? _pos : -1;
                if (closeAt >= 0)
                {
                    Emit(endKind, "", closeAt);
                    AfterClose(closeAt, 2, trimBlock: endKind == TokenKind.BlockEnd);
                    return;
                }
            }
            var c = _src[_pos];
            if (char.IsLetter(c) || c == '_') Name();
            else if (char.IsAsciiDigit(c)) Number();
            else if (c is '\'' or '"') QuotedString(c);
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(_src, _pos, o, 0, o.Length) == 0)
                    ?? throw new ChatTemplateException($"unexpected character '{c}'", LineAt(_pos));
                if (op is "(" or "[" or "{") depth++;
                else if (op is ")" or "]" or "}" && depth > 0) depth--;
                Emit(TokenKind.Operator, op, _pos);
                _pos += op.Length;
            }
        }
    }

    private void Name()
    {
        var start = _pos;
        while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
        Emit(TokenKind.Name, _src[start.._pos], start);
    }

    private void Number()
    {
        var start = _pos;
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
        var isFloat = _pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]);
        if (isFloat)
        {
            _pos++;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos])) _pos++;
        }
        var text = _src[start.._pos].Replace("_", "", StringComparison.Ordinal);
        if (!isFloat && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new ChatTemplateException($"integer literal '{text}' is out of range", LineAt(start));
        Emit(isFloat ? TokenKind.Float : TokenKind.Integer, text, start);
    }

    // Python string literal escapes, as Jinja reads them.
    private void QuotedString(char quote)
    {
        var start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length) throw new ChatTemplateException("string literal is never closed", LineAt(start));
            var c = _src[_pos++];
            if (c == quote) break;
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _src.Length) throw new ChatTemplateException("string literal is never closed", LineAt(start));
            var e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case '0': sb.Append('\0'); break;
                case '\\' or '\'' or '"': sb.Append(e); break;
                case '\n': break;
                case 'u' when _pos + 4 <= _src.Length && int.TryParse(_src.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u):
                    sb.Append((char)u);
                    _pos += 4;
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        Emit(TokenKind.String, sb.ToString(), start);
    }

    private void Emit(TokenKind kind, string text, int pos) => _tokens.Add(new Token(kind, text, LineAt(pos)));
}
