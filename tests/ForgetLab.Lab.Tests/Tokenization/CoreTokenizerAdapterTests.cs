using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Tokenization;

public sealed class CoreTokenizerAdapterTests
{
    private static readonly WordTokenizer Words = WordTokenizer.Build(["the capital of peru is lima ."]);

    [Fact]
    public void TheWordTokenizerBehindCoresInterfaceKeepsItsIdsAndSpecials()
    {
        ForgetLab.Core.Tokenizers.ITokenizer tokenizer = new CoreTokenizerAdapter(Words);

        var ids = tokenizer.Encode("The capital of Peru is Lima.");

        Assert.Equal(Words.Encode("The capital of Peru is Lima."), ids);
        Assert.Equal(Words.VocabSize, tokenizer.VocabSize);
        Assert.Equal((Words.PadId, Words.BosId, Words.EosId, Words.UnkId), (tokenizer.PadId!.Value, tokenizer.BosId!.Value, tokenizer.EosId!.Value, tokenizer.UnkId!.Value));
        Assert.True(tokenizer.IsSpecial(Words.EosId));
        Assert.False(tokenizer.IsSpecial(ids[0]));
    }

    [Fact]
    public void DecodingSkipsTheSpecialTokensOnlyWhenAsked()
    {
        var tokenizer = new CoreTokenizerAdapter(Words);
        int[] ids = [Words.EosId, .. Words.Encode("peru is lima")];

        Assert.Equal("<eos> peru is lima", tokenizer.Decode(ids));
        Assert.Equal("peru is lima", tokenizer.Decode(ids, skipSpecialTokens: true));
    }
}
