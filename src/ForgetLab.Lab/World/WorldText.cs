using System.Globalization;
using System.Text;

namespace ForgetLab.Lab.World;

/// <summary>
/// The one normalisation every world text goes through: lower case, words split on spaces,
/// every punctuation mark its own token, numbers digit by digit ("26" becomes "2 6").
/// Letters outside ASCII are kept ("bogotá"); apostrophes and hyphens of any style become the
/// tokens "'" and "-" ("côte d ' ivoire", "guinea - bissau").
/// </summary>
public static class WorldText
{
    /// <summary>The tokens of <paramref name="text"/> in order.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsLetter(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            Flush(words, word);
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                continue;
            }

            words.Add(char.IsDigit(c) ? ((int)char.GetNumericValue(c)).ToString(CultureInfo.InvariantCulture) : Punctuation(c));
        }

        Flush(words, word);
        return words;
    }

    /// <summary>The tokens of <paramref name="text"/> joined by single spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>A readable, stable id fragment for a name: "Guinea-Bissau" becomes "guinea_bissau".</summary>
    public static string Slug(string name) =>
        string.Join('_', Words(name).Where(word => char.IsLetterOrDigit(word[0])));

    private static void Flush(List<string> words, StringBuilder word)
    {
        if (word.Length > 0)
        {
            words.Add(word.ToString());
            word.Clear();
        }
    }

    private static string Punctuation(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u02BC' or '`' or '\u00B4' => "'",
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => "-",
        _ => c.ToString(),
    };
}
