using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// How lm-evaluation-harness (0.4.10 and later: <c>lm_eval/api/model.py</c> <c>TemplateLM</c>,
/// <c>lm_eval/models/huggingface.py</c> <c>HFLM</c>) turns request strings into token ids for a decoder-only model.
/// Each method names the function it follows; nothing here knows a model.
/// </summary>
public sealed class LmEvalTokenization(ITokenizer tokenizer, LmEvalOptions? options = null)
{
    private readonly LmEvalOptions options = options ?? LmEvalOptions.Defaults;

    public ITokenizer Tokenizer => tokenizer;

    /// <summary><c>prefix_token_id</c>: the option, else BOS, else EOS.</summary>
    public int PrefixTokenId => options.PrefixTokenId ?? tokenizer.BosId ?? tokenizer.RequireEos();

    /// <summary>
    /// <c>tok_encode</c>: with <paramref name="addSpecialTokens"/> null, <c>add_bos_token</c> decides if set, else the
    /// tokenizer's post-processor; a string that already starts with the prefix token's text gets no special tokens.
    /// </summary>
    public int[] TokEncode(string text, bool? addSpecialTokens = null)
    {
        var add = addSpecialTokens ?? options.AddBosToken;
        if (addSpecialTokens is null && text.StartsWith(tokenizer.Decode([PrefixTokenId]), StringComparison.Ordinal)) add = false;
        return [.. tokenizer.Encode(text, add ?? true)];
    }

    /// <summary>
    /// <c>loglikelihood</c>'s tokenization of one request. An empty context becomes the prefix token (or, when the
    /// continuation itself starts with it, the continuation's first token); otherwise <c>_encode_pair</c>: trailing
    /// whitespace of the context moves to the continuation, the whole string is encoded, and the continuation is what
    /// follows the context's own encoding.
    /// </summary>
    public (int[] Context, int[] Continuation) EncodePair(string context, string continuation)
    {
        if (context.Length == 0)
        {
            var ids = TokEncode(continuation, addSpecialTokens: false);
            if (ids.Length == 0) throw new ArgumentException("the continuation encodes to no tokens: there is nothing to score", nameof(continuation));
            return ids[0] != PrefixTokenId ? ([PrefixTokenId], ids) : (ids[..1], ids[1..]);
        }
        var spaces = TrailingWhitespace(context);
        if (spaces > 0)
        {
            continuation = context[^spaces..] + continuation;
            context = context[..^spaces];
        }
        var whole = TokEncode(context + continuation);
        var contextIds = TokEncode(context);
        return (contextIds, whole.Length > contextIds.Length ? whole[contextIds.Length..] : []);
    }

    /// <summary>
    /// <c>tok_batch_encode</c> for one prompt of <c>generate_until</c>: no special tokens when the prompt starts with the
    /// BOS token's text, else <c>add_bos_token</c> if set, else the post-processor; the result keeps its last
    /// <paramref name="maxLength"/> tokens. (lm-eval checks the first prompt of a batch for all of it; this checks
    /// each prompt, which is the same whenever a batch's prompts agree.)
    /// </summary>
    public int[] EncodePrompt(string prompt, int maxLength)
    {
        var bos = tokenizer.BosId is { } id ? tokenizer.IdToToken(id) : null;
        var add = bos is not null && prompt.StartsWith(bos, StringComparison.Ordinal) ? false : options.AddBosToken ?? true;
        var ids = tokenizer.Encode(prompt, add);
        return [.. ids.Skip(Math.Max(0, ids.Count - maxLength))];
    }

    /// <summary>
    /// <c>loglikelihood_rolling</c>'s windows of a text (<c>get_rolling_token_windows</c> with <c>context_len</c> 1,
    /// then <c>make_disjoint_window</c>): the first window predicts up to <paramref name="maxLength"/> tokens from the
    /// prefix token, each later one up to <paramref name="maxLength"/> more from the tokens before them.
    /// </summary>
    public IReadOnlyList<(int[] Context, int[] Continuation)> RollingWindows(string text, int maxLength)
    {
        var tokens = TokEncode(text);
        var windows = new List<(int[], int[])>();
        if (tokens.Length == 0) return windows;
        var first = Math.Min(maxLength, tokens.Length);
        windows.Add(([PrefixTokenId], tokens[..first]));
        var predicted = first;
        while (predicted < tokens.Length)
        {
            var length = Math.Min(tokens.Length - predicted, maxLength);
            var end = predicted + length;
            // The window's input is tokens[end - maxLength - 1 .. end - 1]; made disjoint, its context is the part before the predictions.
            windows.Add((tokens[(end - maxLength - 1)..(end - length)], tokens[(end - length)..end]));
            predicted += length;
        }
        return windows;
    }

    /// <summary>The stop strings of <c>generate_until</c>: the request's, and the EOS token's text (<c>handle_stop_sequences</c>).</summary>
    public IReadOnlyList<string> StopStrings(IReadOnlyList<string> until)
    {
        var stops = until.ToList();
        if (tokenizer.EosId is { } eos && tokenizer.Decode([eos]) is { } text && !stops.Contains(text)) stops.Add(text);
        return stops;
    }

    /// <summary>The generation cut before the first occurrence of each stop string in turn (<c>postprocess_generated_text</c>).</summary>
    public static string CutAtStops(string generation, IReadOnlyList<string> stops)
    {
        foreach (var stop in stops.Where(s => s.Length > 0))
        {
            var at = generation.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0) generation = generation[..at];
        }
        return generation;
    }

    /// <summary>How many characters Python's <c>str.rstrip()</c> would remove (its whitespace also holds U+001C–U+001F).</summary>
    internal static int TrailingWhitespace(string text)
    {
        var n = 0;
        while (n < text.Length && IsPythonSpace(text[^(n + 1)])) n++;
        return n;
    }

    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';
}
