namespace ForgetLab.Contracts.Models;

/// <summary>
/// A model's tokenizer: <see cref="Kind"/> "word" (ForgetLab's vocab.json), "sentencepiece" (tokenizer.model) or
/// tokenizer.json's model type ("bpe", "unigram", …); the file it is read from; the ids it has, added tokens included.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelTokenizerInfo")]
public sealed record ModelTokenizerInfo(
    [property: Id(0)] string Kind,
    [property: Id(1)] string File,
    [property: Id(2)] int VocabSize);
