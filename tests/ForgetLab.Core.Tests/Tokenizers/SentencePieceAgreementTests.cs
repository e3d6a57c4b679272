using System.Text.Json;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// Two tiny BPE <c>tokenizer.model</c> files trained by Debian's sentencepiece (tests/reference/sentencepiece) encode
/// every test line to the ids spm_encode gave and decode them to spm_decode's text: byte fallback, digits split, a
/// user-defined piece, whitespace kept (Llama-2's options), and a model without byte fallback that trims whitespace.
/// </summary>
public class SentencePieceAgreementTests
{
    public static TheoryData<string> Models() => ["llama2-style", "unk-trimmed"];

    private static string ModelPath(string name) => Path.Combine(TokenizerFixtures.Fixtures, "sentencepiece", name + ".model");

    [Theory]
    [MemberData(nameof(Models))]
    public void TheModelEncodesEveryLineAsSentencePieceDoes(string name)
    {
        var tokenizer = SentencePieceTokenizer.Load(ModelPath(name));
        var mismatches = new List<string>();
        var lines = 0;

        foreach (var (text, expected, decoded) in Expected(name))
        {
            lines++;
            var ids = tokenizer.Encode(text, addSpecialTokens: false);
            if (!ids.SequenceEqual(expected)) mismatches.Add($"ids of {JsonSerializer.Serialize(text)}:\n  expected {string.Join(",", expected)}\n  actual   {string.Join(",", ids)}");
            // spm_decode writes the unknown piece as " ⁇ "; transformers' Llama tokenizers write its token, <unk>.
            if (!expected.Contains(tokenizer.UnkId!.Value) && tokenizer.Decode(expected) != decoded)
                mismatches.Add($"decoded {JsonSerializer.Serialize(text)}: expected {JsonSerializer.Serialize(decoded)}, actual {JsonSerializer.Serialize(tokenizer.Decode(expected))}");
        }

        Assert.True(lines >= 15);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches over {lines} lines:\n" + string.Join("\n", mismatches));
    }

    [Fact]
    public void AddsBosButNotEosByDefaultAsLlamaTokenizerDoes()
    {
        var tokenizer = SentencePieceTokenizer.Load(ModelPath("llama2-style"));

        var ids = tokenizer.Encode("the capital");

        Assert.Equal(tokenizer.BosId, ids[0]);
        Assert.Equal(tokenizer.Encode("the capital", addSpecialTokens: false), ids.Skip(1));
        Assert.DoesNotContain(tokenizer.EosId!.Value, ids);
    }

    [Fact]
    public void ControlPiecesWrittenInTheTextAreSpecialTokens()
    {
        var tokenizer = SentencePieceTokenizer.Load(ModelPath("llama2-style"));

        var ids = tokenizer.Encode("<s>the capital</s>", addSpecialTokens: false);

        Assert.Equal(tokenizer.BosId, ids[0]);
        Assert.Equal(tokenizer.EosId, ids[^1]);
        // As the converted Llama tokenizer decodes: the stretch after <s> keeps its dummy-prefix space.
        Assert.Equal("<s> the capital</s>", tokenizer.Decode(ids));
        Assert.Equal("the capital", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void AnUnknownCharacterWithoutByteFallbackIsTheUnknownToken()
    {
        var tokenizer = SentencePieceTokenizer.Load(ModelPath("unk-trimmed"));

        var ids = tokenizer.Encode("★", addSpecialTokens: false);

        Assert.Contains(tokenizer.UnkId!.Value, ids);
        Assert.Equal("<unk>", tokenizer.Decode(ids).Trim());
    }

    private static IEnumerable<(string Text, int[] Ids, string Decoded)> Expected(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TokenizerFixtures.Fixtures, "sentencepiece", name + ".expected.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("decoded").GetString()!)).ToArray();
    }
}
