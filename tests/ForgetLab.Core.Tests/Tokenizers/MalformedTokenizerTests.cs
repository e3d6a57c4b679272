using System.Text;
using System.Text.Json.Nodes;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// A malformed or unsupported tokenizer.json is refused with a <see cref="TokenizerFormatException"/> naming the file
/// and the field, never loaded half-way and never a crash; hostile sizes are refused by the limits.
/// </summary>
public class MalformedTokenizerTests
{
    private static JsonNode Base() => JsonNode.Parse(File.ReadAllText(TokenizerFixtures.Synthetic("bytelevel-prefix-template")))!;

    private static TokenizerFormatException Refusal(Action<JsonNode> change, TokenizerLimits? limits = null)
    {
        var json = Base();
        change(json);
        return Assert.Throws<TokenizerFormatException>(() => HuggingFaceTokenizer.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), limits));
    }

    [Fact]
    public void TheUnchangedBaseLoads() => Assert.True(HuggingFaceTokenizer.Parse(Encoding.UTF8.GetBytes(Base().ToJsonString())).VocabSize > 256);

    [Fact]
    public void TextThatIsNotJsonIsRefusedWithItsLine()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => HuggingFaceTokenizer.Parse("{\n\"model\": [1, 2,\n"u8.ToArray()));

        Assert.Equal("tokenizer.json", e.File);
        Assert.Contains("not valid JSON (line", e.Message);
    }

    [Fact]
    public void AJsonErrorDoesNotRepeatTheFilesContent()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => HuggingFaceTokenizer.Parse("root:x:0:0:root:/root:/bin/bash"u8.ToArray()));

        Assert.DoesNotContain("root", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsRefusedWithoutExhaustingTheStack()
    {
        var deep = Encoding.UTF8.GetBytes("{\"model\":" + new string('[', 100_000) + new string(']', 100_000) + "}");

        var e = Assert.Throws<TokenizerFormatException>(() => HuggingFaceTokenizer.Parse(deep));

        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void AModelOtherThanBpeIsRefusedByName()
    {
        var e = Refusal(j => j["model"]!["type"] = "Unigram");

        Assert.Equal("model.type", e.Field);
        Assert.Contains("\"Unigram\" is not supported", e.Message);
    }

    [Fact]
    public void AMergeOfATokenOutsideTheVocabularyNamesTheMerge()
    {
        var e = Refusal(j => j["model"]!["merges"]!.AsArray()[3] = new JsonArray("Ġ", "no-such-token"));

        Assert.Equal("tokenizer.json: model.merges[3]: its second token is not in the vocabulary", e.Message);
    }

    [Fact]
    public void AMergeStringThatIsNotTwoTokensIsRefused()
    {
        var e = Refusal(j => j["model"]!["merges"]!.AsArray()[0] = "a b c");

        Assert.Equal("model.merges[0]", e.Field);
    }

    [Fact]
    public void MoreMergesThanTheLimitAreRefusedBeforeAnyIsRead()
    {
        var e = Refusal(_ => { }, new TokenizerLimits(MaxMerges: 10));

        Assert.Equal("model.merges", e.Field);
        Assert.Contains("over the limit of 10", e.Message);
    }

    [Fact]
    public void AFileOverTheSizeLimitIsRefused()
    {
        var e = Refusal(_ => { }, new TokenizerLimits(MaxFileBytes: 1000));

        Assert.Contains("over the limit of 1000", e.Message);
    }

    [Fact]
    public void AnUnknownPreTokenizerNamesItsPlaceInTheSequence()
    {
        var e = Refusal(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Sequence","pretokenizers":[{"type":"UnicodeScripts"}]}"""));

        Assert.Equal("pre_tokenizer.pretokenizers[0].type", e.Field);
    }

    [Fact]
    public void AnUnknownSplitBehaviourIsRefused()
    {
        var e = Refusal(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"String":" "},"behavior":"Sideways","invert":false}"""));

        Assert.Equal("pre_tokenizer.behavior", e.Field);
    }

    [Fact]
    public void ARegexNetCannotCompileIsRefused()
    {
        var e = Refusal(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"(unclosed"},"behavior":"Isolated","invert":false}"""));

        Assert.Equal("pre_tokenizer.pattern.Regex", e.Field);
    }

    [Fact]
    public void DropoutIsRefusedBecauseItMakesEncodingRandom()
    {
        var e = Refusal(j => j["model"]!["dropout"] = 0.1);

        Assert.Equal("model.dropout", e.Field);
    }

    [Fact]
    public void TruncationAtEncodeTimeIsRefused()
    {
        var e = Refusal(j => j["truncation"] = JsonNode.Parse("""{"max_length":8,"strategy":"LongestFirst","stride":0}"""));

        Assert.Equal("truncation", e.Field);
    }

    [Fact]
    public void AnAddedTokenWithoutAnIdNamesTheEntry()
    {
        var e = Refusal(j => j["added_tokens"]!.AsArray()[1]!.AsObject().Remove("id"));

        Assert.Equal("added_tokens[1].id", e.Field);
    }

    [Fact]
    public void AVocabularyEntryIsNamedByItsPositionNotItsToken()
    {
        var e = Refusal(j => j["model"]!["vocab"]!["secret-token"] = "not a number");

        Assert.Matches(@"^model\.vocab\[\d+\]$", e.Field);
        Assert.DoesNotContain("secret", e.Message);
    }

    [Fact]
    public void TwoTokensWithOneIdAreRefused()
    {
        var e = Refusal(j => j["model"]!["vocab"]!["Ġ"] = 0);

        Assert.Equal("model.vocab", e.Field);
        Assert.Contains("id 0 is given to two tokens", e.Message);
    }

    [Fact]
    public void AnUnknownDecoderAndPostProcessorAreRefusedByName()
    {
        Assert.Equal("decoder.type", Refusal(j => j["decoder"] = JsonNode.Parse("""{"type":"WordPiece","prefix":"##"}""")).Field);
        Assert.Equal("post_processor.type", Refusal(j => j["post_processor"] = JsonNode.Parse("""{"type":"Unknown"}""")).Field);
        Assert.Equal("normalizer.type", Refusal(j => j["normalizer"] = JsonNode.Parse("""{"type":"Precompiled","precompiled_charsmap":"AA=="}""")).Field);
    }

    [Fact]
    public void ATemplateNamingAnUndeclaredSpecialTokenIsRefused()
    {
        var e = Refusal(j => j["post_processor"]!["special_tokens"]!.AsObject().Remove("<eos>"));

        Assert.Equal("post_processor.single[2].SpecialToken.id", e.Field);
    }

    [Fact]
    public void AddedTokensHoldingTooManyCharactersInAllAreRefused()
    {
        var e = Refusal(j => j["added_tokens"]!.AsArray().Add(JsonNode.Parse($$"""{"id": 9000, "content": "{{new string('x', 3000)}}", "special": true}""")),
            new TokenizerLimits(MaxAddedTokenChars: 2000));

        Assert.Equal("added_tokens", e.Field);
    }

    [Fact]
    public void AVeryLongWordEncodesWithoutBlowingUp()
    {
        var tokenizer = HuggingFaceTokenizer.Load(TokenizerFixtures.Synthetic("bytelevel-prefix-template"));
        var word = string.Concat(Enumerable.Repeat("thecapital", 20_000));

        var ids = tokenizer.Encode(word, addSpecialTokens: false);

        Assert.Equal(word, tokenizer.Decode(ids).TrimStart());
    }
}
