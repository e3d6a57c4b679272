using System.Text.Json;
using System.Text.Json.Nodes;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// The byte-level BPE trainer follows Hugging Face tokenizers' BpeTrainer: specials first, the 256-byte alphabet by
/// code point, then the most frequent pair with ties to the smaller pair of ids; its file loads in ForgetLab's
/// reader and (Fixtures/synthetic/trained-bytelevel-bpe.json, through ReferenceAgreementTests) in the Rust and
/// JavaScript references with the same ids.
/// </summary>
public class ByteLevelBpeTrainerTests
{
    public const string FixtureName = "trained-bytelevel-bpe";
    public const int FixtureVocabSize = 400;

    [Fact]
    public void TheMostFrequentPairIsMergedFirstAndNewTokensMergeFurther()
    {
        // Words after GPT-2's pre-tokenizer: "ab" ×1, "Ġab" ×2, "abc" ×1; (a, b) occurs 4 times, then (Ġ, ab) 2, (ab, c) 1.
        var trained = ByteLevelBpeTrainer.Train(["ab ab ab", "abc"], vocabSize: 1 + 256 + 3);

        Assert.Equal([("a", "b"), ("Ġ", "ab"), ("ab", "c")], trained.Merges);
        Assert.Equal(260, trained.VocabSize);
    }

    [Fact]
    public void PairsOfEqualCountMergeSmallestIdsFirstAsBpeTrainerOrdersThem()
    {
        // Each pair occurs once; ids follow code points (w < x < y < z < Ġ), so (x, y) < (z, w) < (Ġ, z).
        var trained = ByteLevelBpeTrainer.Train(["xy zw"], vocabSize: 1 + 256 + 3);

        Assert.Equal([("x", "y"), ("z", "w"), ("Ġ", "zw")], trained.Merges);
    }

    [Fact]
    public void TrainingStopsWhenNoPairIsLeftBelowTheVocabularySize()
    {
        var trained = ByteLevelBpeTrainer.Train(["ab"], vocabSize: 5000);

        Assert.Equal([("a", "b")], trained.Merges);
        Assert.Equal(1 + 256 + 1, trained.VocabSize);
    }

    [Fact]
    public void TheFileLoadsWithTheSpecialTokenFirstAndEveryByteCovered()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("forgetlab-bpe-").FullName, HuggingFaceTokenizer.FileName);
        ByteLevelBpeTrainer.Train(["the capital of peru is lima .", "the capital of chile is santiago ."], vocabSize: 270).Write(path);

        var tokenizer = HuggingFaceTokenizer.Load(path);

        Assert.Equal(0, tokenizer.TokenToId("<|endoftext|>"));
        Assert.True(tokenizer.IsSpecial(0));
        Assert.Equal(270, tokenizer.VocabSize);
        const string unseen = "Zürich 東京 ★ <|endoftext|>";
        var ids = tokenizer.Encode(unseen, addSpecialTokens: false);
        Assert.Equal(0, ids[^1]);
        Assert.Equal(unseen, tokenizer.Decode(ids));
        Assert.StartsWith("Ġ", tokenizer.IdToToken(tokenizer.Encode(" lima", false)[0]));
    }

    [Fact]
    public void TrainingOnTheTestTextsGivesTheCommittedReferenceFixture()
    {
        var trainer = ByteLevelBpeTrainer.Train(FixtureCorpus(), FixtureVocabSize);
        // Regenerating (tests/reference/tokenizers/README.md): write the file, then the references encode it.
        if (Environment.GetEnvironmentVariable("FORGETLAB_WRITE_TRAINED_BPE") == "1") trainer.Write(TokenizerFixtures.Synthetic(FixtureName));

        var committed = JsonNode.Parse(File.ReadAllText(TokenizerFixtures.Synthetic(FixtureName)))!;
        Assert.True(JsonNode.DeepEquals(committed, trainer.ToJson()), "the trainer's output changed: regenerate the fixture (tests/reference/tokenizers/README.md)");
    }

    /// <summary>The mixed test texts (accents, CJK, scripts, digits, whitespace runs, emoji), the corpus of the fixture.</summary>
    public static IEnumerable<string> FixtureCorpus() =>
        new[] { "texts.json", "synthetic-texts.json" }.SelectMany(f => JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(TokenizerFixtures.Fixtures, f)))!);
}
