namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// What the model, trainer and evaluator need from a tokenizer. Shaped so that both the built-in
/// word-level tokenizer and a BPE tokenizer (e.g. GPT-2's through Microsoft.ML.Tokenizers) fit:
/// a BPE model whose vocabulary has a single special token may return the same id for several
/// of <see cref="PadId"/>, <see cref="BosId"/> and <see cref="EosId"/>.
/// </summary>
public interface ITokenizer
{
    int VocabSize { get; }

    int PadId { get; }

    int BosId { get; }

    int EosId { get; }

    int UnkId { get; }

    /// <summary>The ids of <paramref name="text"/>, without BOS or EOS (the caller adds them).</summary>
    int[] Encode(string text);

    /// <summary>The text of <paramref name="ids"/>; padding, BOS and EOS are left out.</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>The id of one vocabulary entry, or null when it has none.</summary>
    int? TokenToId(string token);

    /// <summary>The vocabulary entry of <paramref name="id"/>, or null when the id is out of range.</summary>
    string? IdToToken(int id);
}
