using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.World;

/// <summary>
/// The one normalisation every world text goes through: the word tokenizer's split
/// (<see cref="WordSplitter"/>), and the forms built from it (normalised text, slugs).
/// </summary>
public static class WorldText
{
    /// <summary>The tokens of <paramref name="text"/> in order (<see cref="WordSplitter.Words"/>).</summary>
    public static IReadOnlyList<string> Words(string text) => WordSplitter.Words(text);

    /// <summary>The tokens of <paramref name="text"/> joined by single spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>A readable, stable id fragment for a name: "Guinea-Bissau" becomes "guinea_bissau".</summary>
    public static string Slug(string name) =>
        string.Join('_', Words(name).Where(word => char.IsLetterOrDigit(word[0])));
}
