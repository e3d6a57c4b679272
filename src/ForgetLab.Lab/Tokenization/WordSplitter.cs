using System.Globalization;
using System.Text;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// How the word-level tokenizer splits text: lower case, words split on spaces, every punctuation
/// mark its own token, numbers digit by digit ("26" becomes "2 6"). Letters outside ASCII are kept
/// ("bogotá"); apostrophes and hyphens of any style become the tokens "'" and "-" ("côte d ' ivoire",
/// "guinea - bissau"). The world's texts are normalised by the same split (<c>World.WorldText</c>).
/// </summary>
public static class WordSplitter
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
