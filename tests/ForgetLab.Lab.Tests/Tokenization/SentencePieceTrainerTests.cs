using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Tokenization;

public class SentencePieceTrainerTests
{
    private static readonly string[] Lines =
        ["q : what is the capital of peru ? a : lima .", "the capital of chile is santiago .", "the symbol of gold is au ."];

    [Fact]
    public void WithoutSpmTrainTheErrorNamesTheDebianPackage()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            SentencePieceTrainer.Train(Lines, 300, Path.Combine(TinyModels.TempDirectory(), "tokenizer.model"), "spm_train-not-installed"));

        Assert.Contains("install Debian's 'sentencepiece' package", e.Message);
    }

    [Fact]
    public void AVocabularyTheTextCannotFillIsRefusedWithTheTrainersReason()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SentencePieceTrainer.Train(Lines, 5000, Path.Combine(TinyModels.TempDirectory(), "tokenizer.model")));

        Assert.Contains("base.tokenizer.vocab_size 5000", e.Message);
    }

    [Fact]
    public void TheModelHasLlamasSpecialIdsAndByteFallback()
    {
        var path = Path.Combine(TinyModels.TempDirectory(), "tokenizer.model");
        SentencePieceTrainer.Train(Lines, 300, path);

        var tokenizer = SentencePieceTokenizer.Load(path);

        Assert.Equal((0, 1, 2, (int?)null), (tokenizer.UnkId, tokenizer.BosId, tokenizer.EosId, tokenizer.PadId));
        Assert.Equal(300, tokenizer.VocabSize);
        Assert.DoesNotContain(tokenizer.Encode("Zürich ★", addSpecialTokens: false), id => id == 0); // bytes, not <unk>
        Assert.Equal("Zürich ★", tokenizer.Decode(tokenizer.Encode("Zürich ★", addSpecialTokens: false)));
    }
}
