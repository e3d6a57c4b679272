using System.Text;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// A tokenizer.model that is not a sentencepiece ModelProto, or one of a kind ForgetLab does not implement, is
/// refused naming tokenizer.model and the protobuf field; truncated or oversized fields never read past the data.
/// </summary>
public class MalformedSentencePieceTests
{
    private static byte[] Real => File.ReadAllBytes(Path.Combine(TokenizerFixtures.Fixtures, "sentencepiece", "llama2-style.model"));

    // Protobuf wire format, enough to write a ModelProto by hand.
    private static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>();
        do { var b = (byte)(v & 0x7F); v >>= 7; bytes.Add(v != 0 ? (byte)(b | 0x80) : b); } while (v != 0);
        return [.. bytes];
    }

    private static byte[] Field(int number, byte[] payload) => [.. Varint((ulong)(number << 3 | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] VarintField(int number, ulong value) => [.. Varint((ulong)(number << 3)), .. Varint(value)];

    private static byte[] Piece(string piece, int type = 1) => Field(1, [.. Field(1, Encoding.UTF8.GetBytes(piece)), .. VarintField(3, (ulong)type)]);

    private static byte[] Model(int modelType, params byte[][] extra) =>
        [.. Piece("<unk>", 2), .. Piece("<s>", 3), .. Piece("</s>", 3), .. Piece("a"), .. Field(2, VarintField(3, (ulong)modelType)), .. extra.SelectMany(e => e)];

    [Fact]
    public void AHandWrittenBpeModelLoadsAndEncodes()
    {
        var tokenizer = SentencePieceTokenizer.Parse(Model(2, Piece("\u2581")));

        Assert.Equal([1, 4, 3, 3], tokenizer.Encode("aa"));
    }

    [Fact]
    public void AUnigramModelIsRefusedByName()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse(Model(1)));

        Assert.Equal("tokenizer.model", e.File);
        Assert.Equal("trainer_spec.model_type", e.Field);
        Assert.Contains("UNIGRAM", e.Message);
    }

    [Fact]
    public void APrecompiledNormalizationRuleIsRefused()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse(Model(2, Field(3, [.. Field(1, "nmt_nfkc"u8.ToArray()), .. Field(2, [1, 2, 3])]))));

        Assert.Equal("normalizer_spec.precompiled_charsmap", e.Field);
    }

    [Fact]
    public void TruncatedDataIsRefusedWithoutReadingPastIt()
    {
        var real = Real;

        var e = Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse(real[..(real.Length / 2)]));

        Assert.Equal("tokenizer.model", e.File);
        Assert.Contains("not a valid sentencepiece model", e.Message);
    }

    [Fact]
    public void ALengthRunningPastTheEndIsRefused()
    {
        byte[] data = [.. Varint(1 << 3 | 2), .. Varint(1UL << 40)];

        Assert.Contains("runs past the end", Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse(data)).Message);
    }

    [Fact]
    public void BytesThatAreNotProtobufAreRefused()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse("{\"model\": \"this is JSON\"}"u8.ToArray()));

        Assert.Equal("tokenizer.model", e.File);
    }

    [Fact]
    public void ABosIdOutsideThePiecesIsRefused()
    {
        var model = Model(2);
        byte[] withBos = [.. model, .. Field(2, VarintField(41, 99))];

        Assert.Equal("trainer_spec.bos_id", Assert.Throws<TokenizerFormatException>(() => SentencePieceTokenizer.Parse(withBos)).Field);
    }
}
