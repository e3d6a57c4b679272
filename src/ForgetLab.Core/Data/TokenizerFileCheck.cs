using System.Text.Json;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Data;

/// <summary>
/// Checks a tokenizer file a data set holds (<c>base.tokenizer: { kind: file, path: { data_ref, file } }</c>) with the loader the
/// lab uses for <c>kind: file</c> (<see cref="PretrainedTokenizer"/>): the file read as <c>tokenizer.json</c>, with the
/// <c>tokenizer_config.json</c> of the same data set beside it when it holds one, as the lab takes the config beside a
/// tokenizer path. A refusal is a <see cref="DataFileException"/> naming the data set's file and the JSON field.
/// </summary>
public static class TokenizerFileCheck
{
    /// <summary>The tokenizer's vocabulary size, or the first problem at its file and field.</summary>
    /// <param name="name">The tokenizer file's name in the data set (any <c>.json</c> name; the lab copies it to <c>tokenizer.json</c>).</param>
    /// <param name="config">The data set's <c>tokenizer_config.json</c>, or null when it holds none.</param>
    public static int Check(string name, byte[] tokenizer, byte[]? config)
    {
        try
        {
            var loaded = PretrainedTokenizer.Load(file =>
                file == HuggingFaceTokenizer.FileName ? tokenizer : file == TokenizerConfig.FileName ? config : null);
            return loaded.VocabSize;
        }
        catch (TokenizerFormatException e)
        {
            throw new DataFileException(e.File == HuggingFaceTokenizer.FileName ? name : e.File, 0, e.Field, e.Reason);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or JsonException or ArgumentException or OverflowException
            or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // The loader's own checks name their field; anything past them still names the file, and is no 500.
            throw new DataFileException(name, 0, "", $"cannot be read as a Hugging Face tokenizer.json: {e.Message}");
        }
    }
}
