using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Data;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Data;

/// <summary>
/// Turns data lines into token ids with a loss mask (for training) or into suite items (held out), following TRL's
/// <c>SFTTrainer</c>: a prompt/completion pair is the prompt's text followed by the completion's, EOS appended, the loss
/// on the completion and EOS (<c>completion_only_loss</c>) or on every token; a text is the text plus EOS, the loss on
/// every token; a conversation is rendered with the chat template, the loss on the assistant turns
/// (<c>assistant_only_loss</c>) or on every token.
/// <para>
/// TRL finds assistant tokens through a template's <c>{% generation %}</c> blocks. Real templates rarely have them, so
/// here an assistant turn is found by rendering the conversation turn by turn: turn i's tokens are what
/// <c>render(messages[:i+1])</c> adds after <c>render(messages[:i], add_generation_prompt=True)</c> — the content and
/// the end-of-turn marker, without the role header the generation prompt supplies. A template whose partial renders
/// are not the start of the whole is refused (its turns cannot be told apart), and so is a message whose content the
/// template does not render (a role it does not know).
/// </para>
/// <para>
/// Token boundaries follow lm-evaluation-harness's split of a (context, continuation) pair
/// (<see cref="LabTokenIds.EncodePair"/>): the whole text is encoded once; a boundary falls after the ids of the text
/// before it, trailing whitespace moving to the part after. So a span is tokenized as it is in running text, and the
/// held-out items are scored on exactly the split training used.
/// </para>
/// </summary>
public sealed class ExampleEncoder(ITokenizer tokenizer, string file, ChatTemplate? template, bool completionOnlyLoss, bool assistantOnlyLoss)
{
    private readonly int eos = tokenizer.RequireEos();

    /// <summary>The example's ids and which of them carry loss.</summary>
    public MaskedExample Encode(DataExample example)
    {
        var (ids, loss) = example switch
        {
            PromptCompletionExample pc => WithEos(Split(tokenizer, [(pc.Prompt, !completionOnlyLoss), (pc.Completion, true)])),
            TextExample t => WithEos(Split(tokenizer, [(t.Text, true)])),
            MessagesExample m => Split(tokenizer, ChatSpans(m)),
            _ => throw new ArgumentOutOfRangeException(nameof(example)),
        };
        if (!loss.Contains(true))
            throw new DataFileException(file, example.Line, "messages", "no assistant message, so no token carries loss (target.assistant_only_loss: false trains on every token)");
        return new MaskedExample(ids, loss);
    }

    /// <summary>
    /// The example as an item of the held-out target suite: a prompt/completion pair is (prompt, completion + EOS), a
    /// conversation is (everything before its last assistant turn, with the generation prompt; that turn), both scored
    /// by whether greedy decoding gives exactly the continuation; a text is scored by its log-likelihood per token.
    /// </summary>
    public SuiteItem HeldOut(DataExample example, string id)
    {
        switch (example)
        {
            case PromptCompletionExample pc:
                return SuiteItem.Continuation(id, pc.Prompt, pc.Completion + EosText());
            case TextExample t:
                return SuiteItem.Rolling(id, t.Text);
            case MessagesExample m:
            {
                var last = m.Messages.Count - 1;
                if (m.Messages[last].Role != "assistant")
                    throw new DataFileException(file, m.Line, $"messages[{last}].role",
                        $"a held-out conversation ends with the assistant's turn, which is what is scored; this one ends with '{m.Messages[last].Role}'");
                var whole = Render(m, m.Messages.Count, false);
                var context = Render(m, last, true);
                if (!whole.StartsWith(context, StringComparison.Ordinal))
                    throw NotTurnByTurn(m, last);
                return SuiteItem.Continuation(id, context, whole[context.Length..]);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(example));
        }
    }

    /// <summary>The text the tokenizer reads as its EOS token (special tokens written in text are recognised).</summary>
    private string EosText() => tokenizer.IdToToken(eos) ?? throw new InvalidDataException("the tokenizer's EOS id has no token text");

    private (int[] Ids, bool[] Loss) WithEos((int[] Ids, bool[] Loss) x) => ([.. x.Ids, eos], [.. x.Loss, true]);

    /// <summary>The rendered conversation cut into spans, each marked whether it carries loss.</summary>
    private List<(string Text, bool Loss)> ChatSpans(MessagesExample m)
    {
        var whole = Render(m, m.Messages.Count, false);
        var spans = new List<(string, bool)>();
        var done = 0;
        for (var i = 0; i < m.Messages.Count; i++)
        {
            var message = m.Messages[i];
            var upTo = Render(m, i + 1, false);
            if (!whole.StartsWith(upTo, StringComparison.Ordinal) || upTo.Length < done) throw NotTurnByTurn(m, i);
            if (message.Content.Length > 0 && upTo.IndexOf(message.Content, done, StringComparison.Ordinal) < 0)
                throw new DataFileException(file, m.Line, $"messages[{i}].role",
                    $"the chat template does not know role '{message.Role}': it does not render this message's content");
            if (message.Role == "assistant" && assistantOnlyLoss)
            {
                var head = Render(m, i, true);
                if (!upTo.StartsWith(head, StringComparison.Ordinal) || head.Length < done) throw NotTurnByTurn(m, i);
                spans.Add((whole[done..head.Length], false));
                spans.Add((whole[head.Length..upTo.Length], true));
            }
            else
            {
                spans.Add((whole[done..upTo.Length], !assistantOnlyLoss));
            }
            done = upTo.Length;
        }
        spans.Add((whole[done..], !assistantOnlyLoss));
        return spans;
    }

    private DataFileException NotTurnByTurn(MessagesExample m, int i) => new(file, m.Line, $"messages[{i}]",
        "the chat template does not render this conversation turn by turn (the text up to this message is not the start of the whole), so its assistant tokens cannot be found; target.assistant_only_loss: false trains on every token");

    /// <summary>The first <paramref name="count"/> messages rendered; a template that refuses them is named with the message.</summary>
    private string Render(MessagesExample m, int count, bool addGenerationPrompt)
    {
        if (template is null)
            throw new DataFileException(file, m.Line, "messages", "no chat template: the base has none (chat_template in tokenizer_config.json); name a template file with target.chat_template");
        try
        {
            var bos = tokenizer.BosId is { } b ? tokenizer.IdToToken(b) ?? "" : "";
            return template.Render(new ChatConversation([.. m.Messages.Take(count)], addGenerationPrompt, bos, EosText()));
        }
        catch (ChatTemplateException e)
        {
            throw new DataFileException(file, m.Line, $"messages[{Math.Max(0, count - 1)}]", $"the chat template refused the conversation: {e.Reason}");
        }
    }

    /// <summary>
    /// The spans' text encoded once, with each id marked by the span it falls in; a boundary sits after the ids of
    /// the text before it, its trailing whitespace moved to the next span, as lm-eval splits a context from its
    /// continuation.
    /// </summary>
    internal static (int[] Ids, bool[] Loss) Split(ITokenizer tokenizer, IReadOnlyList<(string Text, bool Loss)> spans)
    {
        var whole = string.Concat(spans.Select(s => s.Text));
        var ids = tokenizer.EncodeText(whole);
        var loss = new bool[ids.Length];
        var (chars, from) = (0, 0);
        for (var k = 0; k < spans.Count; k++)
        {
            chars += spans[k].Text.Length;
            var to = k == spans.Count - 1
                ? ids.Length
                : Math.Clamp(tokenizer.EncodeText(whole[..chars].TrimEnd()).Length, from, ids.Length);
            for (var i = from; i < to; i++) loss[i] = spans[k].Loss;
            from = to;
        }
        return (ids, loss);
    }
}
