using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// The real Llama-3, Qwen3, Llama-2 and GPT-2 tokenizers, and every synthetic tokenizer.json, give the same ids and
/// decoded text as two independent implementations on mixed texts (accents, CJK, digits, whitespace runs, newlines,
/// emoji, text outside the BMP, special tokens inline): Hugging Face's Rust tokenizers (the semantics ForgetLab
/// follows; ids with special tokens and text decoded skipping them) and @huggingface/tokenizers (JavaScript; ids with
/// and without special tokens, text decoded with and without them). Where the JavaScript reference departs from the
/// Rust one (it ignores <c>single_word</c> and BPE's <c>continuing_subword_prefix</c>), the Rust one decides and the
/// text is left out of the JavaScript comparison; tests/reference/tokenizers/README.md lists those cases.
/// </summary>
public class ReferenceAgreementTests
{
    public static TheoryData<string> RealTokenizers() => ["llama3", "qwen3", "llama2", "gpt2"];

    public static TheoryData<string> SyntheticTokenizers()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TokenizerFixtures.Fixtures, "synthetic"), "*.json").Order(StringComparer.Ordinal))
            if (!file.EndsWith(".expected.json", StringComparison.Ordinal) && !file.EndsWith(".rust.json", StringComparison.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RealTokenizers))]
    public void TheRealTokenizerEncodesAndDecodesEveryTextAsTheReference(string name)
    {
        var tokenizer = TokenizerFixtures.LoadReal(name);

        AssertAgrees(tokenizer, TokenizerFixtures.Expected(name), TokenizerFixtures.Rust(name));
    }

    [Theory]
    [MemberData(nameof(SyntheticTokenizers))]
    public void TheSyntheticTokenizerEncodesAndDecodesEveryTextAsTheReference(string name)
    {
        var tokenizer = HuggingFaceTokenizer.Load(TokenizerFixtures.Synthetic(name));

        AssertAgrees(tokenizer, TokenizerFixtures.Expected(Path.Combine("synthetic", name)), TokenizerFixtures.Rust(Path.Combine("synthetic", name)));
    }

    [Theory]
    [MemberData(nameof(RealTokenizers))]
    public void TheRealTokenizerGivesTheIdsOfHuggingFacesRustTokenizers(string name) =>
        AssertAgreesWithRust(TokenizerFixtures.LoadReal(name), TokenizerFixtures.Rust(name));

    [Theory]
    [MemberData(nameof(SyntheticTokenizers))]
    public void TheSyntheticTokenizerGivesTheIdsOfHuggingFacesRustTokenizers(string name) =>
        AssertAgreesWithRust(HuggingFaceTokenizer.Load(TokenizerFixtures.Synthetic(name)), TokenizerFixtures.Rust(Path.Combine("synthetic", name)));

    private static void AssertAgreesWithRust(ITokenizer tokenizer, IReadOnlyList<(string Text, int[] Ids, string Decoded)> cases)
    {
        var mismatches = new List<string>();
        foreach (var (text, expected, decoded) in cases)
        {
            var ids = tokenizer.Encode(text);
            if (!ids.SequenceEqual(expected)) mismatches.Add($"ids of {Show(text)}:\n  expected {string.Join(",", expected)}\n  actual   {string.Join(",", ids)}");
            var skipped = tokenizer.Decode(expected, skipSpecialTokens: true);
            if (skipped != decoded) mismatches.Add($"decoded (skipping special tokens) {Show(text)}: expected {Show(decoded)}, actual {Show(skipped)}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches over {cases.Count} texts:\n" + string.Join("\n", mismatches));
    }

    private static void AssertAgrees(ITokenizer tokenizer, IReadOnlyList<ExpectedCase> cases, IReadOnlyList<(string Text, int[] Ids, string Decoded)> rust)
    {
        var mismatches = new List<string>();
        Assert.Equal(cases.Select(c => c.Text), rust.Select(r => r.Text));
        foreach (var (c, r) in cases.Zip(rust))
        {
            if (!c.Ids.SequenceEqual(r.Ids)) continue;
            var ids = tokenizer.Encode(c.Text);
            var plain = tokenizer.Encode(c.Text, addSpecialTokens: false);
            if (!ids.SequenceEqual(c.Ids)) mismatches.Add($"ids of {Show(c.Text)}:\n  expected {string.Join(",", c.Ids)}\n  actual   {string.Join(",", ids)}");
            if (!plain.SequenceEqual(c.IdsWithoutSpecialTokens)) mismatches.Add($"ids without special tokens of {Show(c.Text)}");
            var decoded = tokenizer.Decode(c.Ids);
            if (decoded != c.Decoded) mismatches.Add($"decoded {Show(c.Text)}: expected {Show(c.Decoded)}, actual {Show(decoded)}");
            var skipped = tokenizer.Decode(c.Ids, skipSpecialTokens: true);
            if (skipped != c.DecodedSkippingSpecialTokens) mismatches.Add($"decoded (skipping special tokens) {Show(c.Text)}: expected {Show(c.DecodedSkippingSpecialTokens)}, actual {Show(skipped)}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches over {cases.Count} texts:\n" + string.Join("\n", mismatches));
    }

    private static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
