namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// An entry of <c>tokenizer.json</c>'s <c>added_tokens</c> (or of <c>tokenizer_config.json</c>'s
/// <c>added_tokens_decoder</c>), with Hugging Face's flags: <c>single_word</c> (match only between non-word
/// characters), <c>lstrip</c>/<c>rstrip</c> (absorb the whitespace on that side), <c>normalized</c> (match in the
/// normalized text rather than the raw one) and <c>special</c> (left out by <c>skip_special_tokens</c>).
/// </summary>
public sealed record AddedToken(int Id, string Content, bool SingleWord, bool Lstrip, bool Rstrip, bool Normalized, bool Special)
{
    internal static AddedToken Parse(JsonField field, int? id, TokenizerLimits limits)
    {
        field.Object();
        var content = field.Child("content").String();
        if (content.Length > limits.MaxTokenChars) throw field.Child("content").Error($"longer than {limits.MaxTokenChars} characters");
        var special = field.Child("special").Bool(false);
        return new AddedToken(
            id ?? field.Child("id").Int(0, limits.MaxVocabulary - 1),
            content,
            field.Child("single_word").Bool(false),
            field.Child("lstrip").Bool(false),
            field.Child("rstrip").Bool(false),
            // tokenizers' default: special tokens are matched in the raw text, others in the normalized one.
            field.Child("normalized").Bool(!special),
            special);
    }
}
