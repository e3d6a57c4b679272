using System.Buffers.Binary;
using System.Text;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// The fields of sentencepiece's <c>ModelProto</c> (protobuf, <c>sentencepiece_model.proto</c>) that encoding needs,
/// read with a bounded wire-format reader: <c>pieces</c> (piece, score, type), <c>trainer_spec</c> (model_type,
/// byte_fallback, unk/bos/eos/pad ids, treat_whitespace_as_suffix) and <c>normalizer_spec</c> (name,
/// precompiled_charsmap, add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces). Anything that would change
/// ids but is not implemented is refused by field name.
/// </summary>
internal sealed record SentencePieceModelProto(
    IReadOnlyList<(string Piece, float Score, int Type)> Pieces,
    bool ByteFallback,
    int? UnkId,
    int? BosId,
    int? EosId,
    int? PadId,
    bool AddDummyPrefix,
    bool RemoveExtraWhitespaces,
    bool EscapeWhitespaces)
{
    private const string File = SentencePieceTokenizer.FileName;

    public static SentencePieceModelProto Parse(byte[] bytes, TokenizerLimits limits)
    {
        var pieces = new List<(string, float, int)>();
        var modelType = 1; // UNIGRAM, protobuf's default
        bool byteFallback = false, suffix = false, addDummyPrefix = true, removeExtra = true, escape = true;
        int unk = 0, bos = 1, eos = 2, pad = -1;
        string normalizer = "identity";
        var charsmap = 0;

        var reader = new Reader(bytes, "");
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    if (pieces.Count >= limits.MaxVocabulary) throw new TokenizerFormatException(File, "pieces", $"more than {limits.MaxVocabulary} pieces");
                    pieces.Add(ParsePiece(reader.Bytes(), $"pieces[{pieces.Count}]", limits));
                    break;
                case 2 when wire == 2:
                {
                    var spec = new Reader(reader.Bytes(), "trainer_spec");
                    while (spec.Next(out var f, out var w))
                    {
                        switch (f)
                        {
                            case 3 when w == 0: modelType = (int)spec.Varint(); break;
                            case 24 when w == 0: suffix = spec.Varint() != 0; break;
                            case 35 when w == 0: byteFallback = spec.Varint() != 0; break;
                            case 40 when w == 0: unk = (int)spec.Varint(); break;
                            case 41 when w == 0: bos = (int)spec.Varint(); break;
                            case 42 when w == 0: eos = (int)spec.Varint(); break;
                            case 43 when w == 0: pad = (int)spec.Varint(); break;
                            default: spec.Skip(w); break;
                        }
                    }
                    break;
                }
                case 3 when wire == 2:
                {
                    var spec = new Reader(reader.Bytes(), "normalizer_spec");
                    while (spec.Next(out var f, out var w))
                    {
                        switch (f)
                        {
                            case 1 when w == 2: normalizer = Encoding.UTF8.GetString(spec.Bytes()); break;
                            case 2 when w == 2: charsmap = spec.Bytes().Length; break;
                            case 3 when w == 0: addDummyPrefix = spec.Varint() != 0; break;
                            case 4 when w == 0: removeExtra = spec.Varint() != 0; break;
                            case 5 when w == 0: escape = spec.Varint() != 0; break;
                            default: spec.Skip(wire: w); break;
                        }
                    }
                    break;
                }
                default: reader.Skip(wire); break;
            }
        }

        if (pieces.Count == 0) throw new TokenizerFormatException(File, "pieces", "the model has no pieces");
        if (modelType != 2)
            throw new TokenizerFormatException(File, "trainer_spec.model_type", $"model type {modelType} ({TypeName(modelType)}) is not supported; ForgetLab reads BPE (2) models such as Llama-2's");
        if (suffix) throw new TokenizerFormatException(File, "trainer_spec.treat_whitespace_as_suffix", "whitespace as a suffix is not supported");
        if (charsmap > 0 && normalizer != "identity")
            throw new TokenizerFormatException(File, "normalizer_spec.precompiled_charsmap", $"the {JsonField.Quote(normalizer)} normalization rule (a precompiled character map) is not supported; Llama-2 style models use \"identity\"");
        int? Id(int id, string name) => id < 0 ? null : id < pieces.Count ? id : throw new TokenizerFormatException(File, $"trainer_spec.{name}", $"{id} is not a piece id (the model has {pieces.Count})");
        return new SentencePieceModelProto(pieces, byteFallback, Id(unk, "unk_id"), Id(bos, "bos_id"), Id(eos, "eos_id"), Id(pad, "pad_id"), addDummyPrefix, removeExtra, escape);
    }

    private static string TypeName(int type) => type switch { 1 => "UNIGRAM", 2 => "BPE", 3 => "WORD", 4 => "CHAR", _ => "unknown" };

    private static (string, float, int) ParsePiece(byte[] bytes, string path, TokenizerLimits limits)
    {
        var reader = new Reader(bytes, path);
        string? piece = null;
        float score = 0;
        var type = 1;
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    var raw = reader.Bytes();
                    if (raw.Length > limits.MaxTokenChars * 4) throw new TokenizerFormatException(File, $"{path}.piece", $"longer than {limits.MaxTokenChars} characters");
                    piece = Encoding.UTF8.GetString(raw);
                    break;
                case 2 when wire == 5: score = reader.Float(); break;
                case 3 when wire == 0: type = (int)reader.Varint(); break;
                default: reader.Skip(wire); break;
            }
        }
        if (piece is null) throw new TokenizerFormatException(File, $"{path}.piece", "the piece has no text");
        if (type is < 1 or > 6) throw new TokenizerFormatException(File, $"{path}.type", $"{type} is not a piece type");
        return (piece, score, type);
    }

    // A protobuf wire-format reader over one message; every read is bounds-checked.
    private sealed class Reader(byte[] data, string path)
    {
        private int _at;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_at >= data.Length) return false;
            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            if (field <= 0) throw Error("a field number of 0");
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_at >= data.Length) throw Error("the data ends inside a number");
                var b = data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Error("a number longer than ten bytes");
        }

        public byte[] Bytes()
        {
            var length = Varint();
            if (length > (ulong)(data.Length - _at)) throw Error($"a field of {length} bytes runs past the end of the data");
            var result = data.AsSpan(_at, (int)length).ToArray();
            _at += (int)length;
            return result;
        }

        public float Float()
        {
            if (data.Length - _at < 4) throw Error("the data ends inside a float");
            var value = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(_at, 4));
            _at += 4;
            return value;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Advance(8); break;
                case 2: Bytes(); break;
                case 5: Advance(4); break;
                default: throw Error($"wire type {wire} is not valid protobuf");
            }
        }

        private void Advance(int n)
        {
            if (data.Length - _at < n) throw Error("the data ends inside a field");
            _at += n;
        }

        private TokenizerFormatException Error(string reason) =>
            new(File, path, $"not a valid sentencepiece model ({reason} at byte {_at})");
    }
}
