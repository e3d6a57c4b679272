using System.Text.Json;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// Split's behaviours follow tokenizers' own table (tokenizers/src/pre_tokenizers/split.rs, the "How are you doing?"
/// cases with <c>\w+|[^\w\s]+</c> inverted), which neither reference fixture covers; patterns run over code points.
/// </summary>
public class PreTokenizerTests
{
    private static List<string> Run(string json, string text)
    {
        using var doc = JsonDocument.Parse(json);
        var pre = PreTokenizer.Parse(new JsonField("tokenizer.json", "pre_tokenizer", doc.RootElement), TokenizerLimits.Default)!;
        return pre.Apply([new Piece(text, true)]).Select(p => p.Text).ToList();
    }

    private static string Split(string behavior) =>
        $$"""{"type":"Split","pattern":{"Regex":"\\w+|[^\\w\\s]+"},"behavior":"{{behavior}}","invert":true}""";

    [Theory]
    [InlineData("Removed", new[] { "How", "are", "you", "doing", "?" })]
    [InlineData("Isolated", new[] { "How", " ", "are", " ", "you", " ", "doing", "?" })]
    [InlineData("MergedWithPrevious", new[] { "How ", "are ", "you ", "doing", "?" })]
    [InlineData("MergedWithNext", new[] { "How", " are", " you", " doing", "?" })]
    [InlineData("Contiguous", new[] { "How", " ", "are", " ", "you", " ", "doing?" })]
    public void SplitBehavesAsTokenizersOwnTestsSay(string behavior, string[] expected) =>
        Assert.Equal(expected, Run(Split(behavior), "How are you doing?"));

    [Fact]
    public void AStringPatternSplitsLikeTheEquivalentRegex() =>
        Assert.Equal(
            Run("""{"type":"Split","pattern":{"Regex":"\\s+"},"behavior":"Removed","invert":false}""", "Hey, man!"),
            Run("""{"type":"Split","pattern":{"String":" "},"behavior":"Removed","invert":false}""", "Hey, man!"));

    [Fact]
    public void ALetterOutsideTheBmpIsALetterToThePattern()
    {
        // 𝒳 (U+1D4B3) is \p{L}: Llama-3's pattern keeps " 𝒳𝔸" as one piece, as Oniguruma does over code points.
        var pieces = Run("""{"type":"Split","pattern":{"Regex":"[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|\\s+"},"behavior":"Isolated","invert":false}""", "a \U0001D4B3\U0001D538 1");

        Assert.Equal(["a", " \U0001D4B3\U0001D538", " ", "1"], pieces);
    }

    [Fact]
    public void ByteLevelWithAPrefixSpaceAddsItOncePerPiece()
    {
        var pieces = Run("""{"type":"ByteLevel","add_prefix_space":true,"use_regex":true}""", "hello world");

        Assert.Equal(["Ġhello", "Ġworld"], pieces);
    }

    [Fact]
    public void MetaspaceWithSchemeFirstPrependsOnlyAtTheStartOfTheInput()
    {
        using var doc = JsonDocument.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":true}""");
        var pre = PreTokenizer.Parse(new JsonField("tokenizer.json", "pre_tokenizer", doc.RootElement), TokenizerLimits.Default)!;

        Assert.Equal(["▁hello", "▁world"], pre.Apply([new Piece("hello world", true)]).Select(p => p.Text));
        Assert.Equal(["after", "▁a", "▁token"], pre.Apply([new Piece("after a token", false)]).Select(p => p.Text));
    }
}
