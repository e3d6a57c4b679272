namespace ForgetLab.Core.Models;

/// <summary>
/// A folder's tokenizer: <see cref="Kind"/> is "word" (ForgetLab's <c>vocab.json</c>), "sentencepiece"
/// (<c>tokenizer.model</c>) or <c>tokenizer.json</c>'s model type in lower case ("bpe", "unigram", …);
/// <see cref="VocabSize"/> counts its ids, added tokens included.
/// </summary>
public sealed record ModelTokenizerSummary(string Kind, string File, int VocabSize);
