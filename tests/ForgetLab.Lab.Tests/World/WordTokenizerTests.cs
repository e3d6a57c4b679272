using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.World;

public sealed class WordTokenizerTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public void EncodingThenDecodingGivesTheNormalisedText()
    {
        var tokenizer = fixture.Tokenizer;
        const string text = "Q: what is the capital of Haiti? A: Port-au-Prince. Bogotá is the capital of Colombia.";

        var ids = tokenizer.Encode(text);

        Assert.DoesNotContain(tokenizer.UnkId, ids);
        Assert.Equal("q : what is the capital of haiti ? a : port - au - prince . bogotá is the capital of colombia .", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void TheBuiltInWorldsWordsFitTheVocabularyThePlatformSizesAWorldBaseWith()
    {
        // The platform estimates a world base's memory before any world is loaded (Core's BaseModelShape).
        Assert.InRange(fixture.Tokenizer.VocabSize, 1000, ForgetLab.Core.Models.BaseModelShape.WorldWordVocabularyBound);
    }

    [Fact]
    public void SpecialsComeFirstAndDecodeLeavesPaddingAndMarkersOut()
    {
        var tokenizer = WordTokenizer.Build(["b a", "c"]);

        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "c"], tokenizer.Tokens);
        Assert.Equal((0, 1, 2, 3), (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId));
        Assert.Equal("a c", tokenizer.Decode([tokenizer.BosId, 4, 6, tokenizer.EosId, tokenizer.PadId], skipSpecialTokens: true));
        Assert.Equal("<bos> a c <eos> <pad>", tokenizer.Decode([tokenizer.BosId, 4, 6, tokenizer.EosId, tokenizer.PadId]));
    }

    [Fact]
    public void BehindCoresInterfaceItAddsNoSpecialTokensAndKeepsUnkWhenSkippingSpecials()
    {
        ForgetLab.Core.Tokenizers.ITokenizer tokenizer = WordTokenizer.Build(["the capital of peru is lima ."]);

        var ids = tokenizer.Encode("The capital of Peru is Lima.", addSpecialTokens: true);

        Assert.Equal(7, ids.Count);
        Assert.Equal((0, 1, 2, 3), (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId));
        Assert.True(tokenizer.IsSpecial(2));
        Assert.False(tokenizer.IsSpecial(3));
        Assert.Equal("peru <unk> lima", tokenizer.Decode([2, .. tokenizer.Encode("peru rocks lima")], skipSpecialTokens: true));
    }

    [Fact]
    public void UnknownWordsMapToUnk()
    {
        var tokenizer = WordTokenizer.Build(["paris is nice"]);

        Assert.Equal([tokenizer.TokenToId("paris")!.Value, tokenizer.UnkId], tokenizer.Encode("Paris rocks"));
        Assert.Null(tokenizer.TokenToId("rocks"));
        Assert.Null(tokenizer.IdToToken(tokenizer.VocabSize));
    }

    [Fact]
    public void TheSameTextsInAnyOrderGiveTheSameIds()
    {
        var forward = WordTokenizer.Build(["the capital of peru is lima .", "iron is fe ."]);
        var backward = WordTokenizer.Build(["iron is fe .", "the capital of peru is lima ."]);

        Assert.Equal(forward.Tokens, backward.Tokens);
    }

    [Fact]
    public void AVocabularySavedAsVocabJsonLoadsBackIdentically()
    {
        var tokenizer = fixture.Tokenizer;
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-vocab-{Guid.NewGuid():N}", "vocab.json");

        tokenizer.Save(path);
        var loaded = WordTokenizer.Load(path);

        Assert.Equal(tokenizer.Tokens, loaded.Tokens);
        Assert.StartsWith("{", File.ReadAllText(path).TrimStart());
        Assert.Contains("\"bogotá\"", File.ReadAllText(path));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void AVocabularyWithGapsInItsIdsIsRejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-bad-vocab-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"<pad>":0,"<bos>":1,"<eos>":2,"<unk>":3,"a":5}""");

        Assert.Throws<InvalidDataException>(() => WordTokenizer.Load(path));
        File.Delete(path);
    }
}
