using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Data;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Data;

/// <summary>
/// A data target made ready for a base: the training examples as masked ids, the held-out examples as the
/// <c>target</c> suite (null when none are held out) and the bounds the report records. Everything is read and
/// checked here, before any run starts, so bad data stops the lab with the file, line and field.
/// </summary>
public sealed record TargetData(IReadOnlyList<MaskedExample> Training, SuiteDefinition? HeldOut, IReadOnlyList<DataFileReport> Bounds)
{
    /// <summary>
    /// The training lines of a prompt/completion file as written (the completion keeps its leading space): what reward
    /// fine-tuning samples from and pays against. Empty for text and messages files.
    /// </summary>
    public IReadOnlyList<PromptCompletion> Pairs { get; init; } = [];

    public const int Revision = 1;

    /// <param name="spec">The spec's <c>target</c> data settings.</param>
    /// <param name="tokenizer">The base's tokenizer.</param>
    /// <param name="baseTemplate">The base's chat template (tokenizer_config.json), used when the spec names none.</param>
    /// <param name="contextLength">The base's context (n_ctx): the most ids an example may have.</param>
    /// <param name="seed">The spec's seed, which picks the held-out examples of <c>eval_split</c>.</param>
    public static TargetData Load(TargetDataSpec spec, ITokenizer tokenizer, ChatTemplate? baseTemplate, int contextLength, int seed)
    {
        var file = JsonlDataFile.Read(spec.FullPath, spec.Path);
        var evalFile = spec.EvalFullPath is { } evalPath ? JsonlDataFile.Read(evalPath, spec.EvalPath!) : null;
        if (evalFile is not null && evalFile.Shape != file.Shape)
            throw new DataFileException(evalFile.Name, evalFile.Examples[0].Line, "",
                $"a {DataShapes.Name(evalFile.Shape)} file held out for a {DataShapes.Name(file.Shape)} data file ({file.Name}): both hold one shape");

        var template = file.Shape == DataShape.Messages ? Template(spec, baseTemplate) : null;
        var (training, heldOut) = Split(file, spec.EvalSplit, seed);
        var trainEncoder = new ExampleEncoder(tokenizer, file.Name, template, spec.CompletionOnlyLoss, spec.AssistantOnlyLoss);
        var encoded = new List<MaskedExample>(training.Count);
        var truncated = 0;
        foreach (var example in training)
        {
            var masked = trainEncoder.Encode(example);
            if (masked.Ids.Length > contextLength)
            {
                if (spec.TooLong == TooLongPolicy.Refuse)
                    throw new DataFileException(file.Name, example.Line, MainField(file.Shape),
                        $"{masked.Ids.Length} tokens; the base's context holds {contextLength} (target.too_long: truncate cuts such examples to it)");
                masked = new MaskedExample(masked.Ids[..contextLength], masked.Loss[..contextLength]);
                if (masked.LossTokens == 0)
                    throw new DataFileException(file.Name, example.Line, MainField(file.Shape),
                        $"cut to the base's context ({contextLength} tokens), no token that carries loss is left");
                truncated++;
            }
            encoded.Add(masked);
        }

        var bounds = new List<DataFileReport>
        {
            new("target", file.Name, file.Sha256, DataShapes.Name(file.Shape), encoded.Count, encoded.Sum(e => (long)e.Ids.Length))
            {
                LossTokens = encoded.Sum(e => (long)e.LossTokens), Truncated = truncated, UnknownTokens = Unknown(tokenizer, encoded.SelectMany(e => e.Ids)),
            },
        };
        var (heldFile, held) = evalFile is not null ? (evalFile, evalFile.Examples) : (file, heldOut);
        SuiteDefinition? suite = null;
        if (held.Count > 0)
        {
            var evalTemplate = heldFile.Shape == DataShape.Messages ? template ?? Template(spec, baseTemplate) : null;
            var evalEncoder = new ExampleEncoder(tokenizer, heldFile.Name, evalTemplate, spec.CompletionOnlyLoss, spec.AssistantOnlyLoss);
            var items = new List<SuiteItem>(held.Count);
            var (tokens, scored, unknown) = (0L, 0L, 0L);
            foreach (var example in held)
            {
                var item = evalEncoder.HeldOut(example, $"line-{example.Line}");
                var (context, continuation) = item.Prompt.Length > 0 ? tokenizer.EncodePair(item.Prompt, item.Target) : ([], tokenizer.EncodeText(item.Target));
                var length = context.Length + continuation.Length;
                // Held-out examples are never cut: a cut one would be scored on something other than what it says.
                if (length > contextLength)
                    throw new DataFileException(heldFile.Name, example.Line, MainField(heldFile.Shape),
                        $"{length} tokens; the base's context holds {contextLength}, and held-out examples are scored whole, never cut");
                (tokens, scored) = (tokens + length, scored + continuation.Length);
                unknown += Unknown(tokenizer, context.Concat(continuation));
                items.Add(item);
            }
            var kind = heldFile.Shape == DataShape.Text ? SuiteKinds.LoglikelihoodRolling : SuiteKinds.Loglikelihood;
            suite = SuiteDefinition.Create("target", Revision, SuiteCategories.Target, kind, items);
            bounds.Add(new DataFileReport("target_eval", heldFile.Name, heldFile.Sha256, DataShapes.Name(heldFile.Shape), items.Count, tokens)
            {
                LossTokens = scored, UnknownTokens = unknown,
            });
        }
        return new TargetData(encoded, suite, bounds) { Pairs = [.. training.OfType<PromptCompletionExample>().Select(pc => new PromptCompletion(pc.Prompt, pc.Completion))] };
    }

    /// <summary>
    /// The examples trained on and those held out: <paramref name="split"/> picks its held-out examples by a shuffle
    /// seeded with <paramref name="seed"/>; both parts keep the file's order.
    /// </summary>
    public static (IReadOnlyList<DataExample> Training, IReadOnlyList<DataExample> HeldOut) Split(JsonlDataFile file, EvalSplit? split, int seed)
    {
        if (split is null) return (file.Examples, []);
        var n = file.Examples.Count;
        var k = split.HeldOut(n);
        if (k >= n)
            throw new DataFileException(file.Name, 0, "",
                $"target.eval_split {split} holds out {k} of its {n} examples, leaving none to train on");
        var order = WorldRandom.For(seed, "target-eval-split").Shuffled(Enumerable.Range(0, n));
        var held = order.Take(k).ToHashSet();
        return ([.. file.Examples.Where((_, i) => !held.Contains(i))], [.. file.Examples.Where((_, i) => held.Contains(i))]);
    }

    private static ChatTemplate Template(TargetDataSpec spec, ChatTemplate? baseTemplate)
    {
        if (spec.ChatTemplateFullPath is not { } path) return baseTemplate ?? throw new DataFileException(spec.Path, 0, "messages",
            "no chat template: the base has none (chat_template in tokenizer_config.json); name a template file with target.chat_template");
        try
        {
            return ChatTemplate.Parse(File.ReadAllText(path));
        }
        catch (ChatTemplateException e)
        {
            throw new DataFileException(spec.ChatTemplatePath!, e.Line, "", e.Reason);
        }
    }

    private static string MainField(DataShape shape) => shape switch
    {
        DataShape.PromptCompletion => "completion",
        DataShape.Messages => "messages",
        _ => "text",
    };

    internal static long Unknown(ITokenizer tokenizer, IEnumerable<int> ids) => tokenizer.UnkId is { } unk ? ids.LongCount(id => id == unk) : 0;
}
