using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A pre-tokenizer pattern run the way Oniguruma (Hugging Face's regex engine) runs it: over code points. .NET's
/// <see cref="Regex"/> works on UTF-16 units, so <c>\p{L}</c> would not match a letter outside the BMP (𝒳, CJK
/// extension B). The text is matched in a stand-in form where each supplementary code point is one BMP character
/// of the same general category, and the matches are mapped back; category-based patterns (all the real ones)
/// then match exactly as over code points. A match that runs past the timeout abandons the encode.
/// </summary>
internal sealed class CodePointRegex
{
    private readonly Regex _regex;
    private readonly string _file;
    private readonly string _path;

    public CodePointRegex(string pattern, TimeSpan timeout, JsonField field)
    {
        _file = field.File;
        _path = field.Path;
        try
        {
            _regex = new Regex(pattern, RegexOptions.CultureInvariant, timeout);
        }
        catch (RegexParseException e)
        {
            throw field.Error($"not a regular expression .NET can run ({e.Error} at offset {e.Offset})");
        }
        catch (ArgumentException)
        {
            throw field.Error("not a regular expression .NET can run");
        }
    }

    /// <summary>The (start, length) of every match in <paramref name="text"/>, in UTF-16 units of the text itself.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var (stand, map) = StandIn(text);
        var result = new List<(int, int)>();
        try
        {
            for (var m = _regex.Match(stand); m.Success; m = m.NextMatch())
            {
                if (m.Length == 0) continue;
                var start = map is null ? m.Index : map[m.Index];
                var end = map is null ? m.Index + m.Length : map[m.Index + m.Length];
                result.Add((start, end - start));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            throw new TokenizerFormatException(_file, _path, $"the pattern ran past its time limit ({_regex.MatchTimeout.TotalSeconds:0.#} s) on a {text.Length}-character text");
        }
        return result;
    }

    // The stand-in string and, when it differs from the text, the text index of every stand-in index (plus the end).
    private static (string, int[]?) StandIn(string text)
    {
        var hasPair = false;
        foreach (var c in text)
            if (char.IsSurrogate(c)) { hasPair = true; break; }
        if (!hasPair) return (text, null);
        var sb = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            map.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(Representative(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else sb.Append(text[i]);
        }
        map.Add(text.Length);
        return (sb.ToString(), map.ToArray());
    }

    // A BMP character of each general category (none ASCII, none a letter any real pattern names literally).
    private static char Representative(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u0488',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00A8',
        UnicodeCategory.OtherSymbol => '\u00A9',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378',
    };
}
