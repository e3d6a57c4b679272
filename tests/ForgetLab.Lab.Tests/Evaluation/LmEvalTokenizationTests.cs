using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Tests.Model;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Evaluation;

/// <summary>
/// Requests become token ids as lm-evaluation-harness makes them (<c>_encode_pair</c>, <c>tok_encode</c>,
/// <c>loglikelihood</c>'s empty context, <c>get_rolling_token_windows</c>), shown on a real SentencePiece tokenizer
/// (Llama-2 style: it adds BOS) and on the lab's word-level one.
/// </summary>
public class LmEvalTokenizationTests
{
    /// <summary>A folder with the Llama-2-style tokenizer.model fixture and, when given, a tokenizer_config.json.</summary>
    private static PretrainedTokenizer SentencePiece(string? config = null)
    {
        var dir = TinyModels.TempDirectory();
        File.Copy(Path.Combine(ReferenceModels.RepoRoot(), "tests", "ForgetLab.Core.Tests", "Tokenizers", "Fixtures", "sentencepiece", "llama2-style.model"),
            Path.Combine(dir, SentencePieceTokenizer.FileName));
        if (config is not null) File.WriteAllText(Path.Combine(dir, TokenizerConfig.FileName), config);
        return PretrainedTokenizer.Load(dir);
    }

    private static string Show((int[] Context, int[] Continuation) pair) => $"[{string.Join(' ', pair.Context)}] [{string.Join(' ', pair.Continuation)}]";

    [Fact]
    public void TrailingWhitespaceOfTheContextMovesToTheContinuation()
    {
        var encoding = new LmEvalTokenization(SentencePiece());
        Assert.Equal(Show(encoding.EncodePair("the capital of france is", " paris")), Show(encoding.EncodePair("the capital of france is ", "paris")));
        Assert.Equal(Show(encoding.EncodePair("the capital of france is", " \tparis")), Show(encoding.EncodePair("the capital of france is \t", "paris")));
    }

    [Fact]
    public void TheContinuationIsWhatFollowsTheContextsOwnEncodingInTheWholeOne()
    {
        var tokenizer = SentencePiece();
        var (context, continuation) = new LmEvalTokenization(tokenizer).EncodePair("the capital of france is", " paris");
        var whole = tokenizer.Encode("the capital of france is paris");
        Assert.Equal(tokenizer.Encode("the capital of france is"), context);
        Assert.Equal(tokenizer.BosId, context[0]);                   // the tokenizer's post-processor adds BOS, so lm-eval does
        Assert.Equal(whole.Skip(context.Length), continuation);
    }

    [Fact]
    public void AnEmptyContextBecomesThePrefixTokenAndTheContinuationGetsNoSpecialTokens()
    {
        var tokenizer = SentencePiece();
        var (context, continuation) = new LmEvalTokenization(tokenizer).EncodePair("", "paris");
        Assert.Equal([tokenizer.BosId!.Value], context);
        Assert.Equal(tokenizer.Encode("paris", addSpecialTokens: false), continuation);
    }

    [Fact]
    public void AddBosTokenFalseLeavesTheBosOutAndAPrefixTokenIdReplacesBos()
    {
        var tokenizer = SentencePiece();
        var encoding = new LmEvalTokenization(tokenizer, new LmEvalOptions(AddBosToken: false, PrefixTokenId: tokenizer.EosId));
        Assert.Equal(tokenizer.Encode("the capital", addSpecialTokens: false), encoding.EncodePair("the capital", " of").Context);
        Assert.Equal([tokenizer.EosId!.Value], encoding.EncodePair("", "paris").Context);
    }

    [Fact]
    public void AContextThatAlreadyStartsWithTheBosTextGetsNoSecondBos()
    {
        var tokenizer = SentencePiece();
        var context = new LmEvalTokenization(tokenizer).TokEncode("<s>the capital");
        Assert.Equal(tokenizer.BosId, context[0]);
        Assert.NotEqual(tokenizer.BosId, context[1]);
        Assert.Equal(tokenizer.Encode("<s>the capital", addSpecialTokens: false), context);
    }

    [Fact]
    public void RollingWindowsPredictEveryTokenOnceWithAsMuchContextAsFits()
    {
        var tokenizer = WordTokenizer.Build(["a b c d e f g h i j"]);
        var windows = new LmEvalTokenization(tokenizer).RollingWindows("a b c d e f g h i j", maxLength: 4);
        int[] Ids(string text) => tokenizer.Encode(text);
        // lm-eval's docstring example: (prefix → a b c d), (d → e f g h), (f g h → i j); each window's input is ≤ 4 tokens.
        Assert.Equal([Show(([tokenizer.BosId], Ids("a b c d"))), Show((Ids("d"), Ids("e f g h"))), Show((Ids("f g h"), Ids("i j")))], windows.Select(Show));
        Assert.All(windows, w => Assert.True(w.Context.Length + w.Continuation.Length - 1 <= 4));
    }

    [Fact]
    public void TheLabsWordLevelConventionsGiveTheIdsItScoredBefore()
    {
        // Before lm-eval's semantics the lab scored [EOS] + prompt, then the choice; rolling texts as [EOS] + text.
        var tokenizer = WordTokenizer.Build(["the capital of peru is lima ."]);
        var conventions = EvaluationConventions.LabDocuments(tokenizer);
        var encoding = new LmEvalTokenization(tokenizer, conventions.Options);
        var prompt = "the capital of peru is";
        int[] withEos = [tokenizer.EosId, .. tokenizer.Encode(prompt)];

        var (context, continuation) = encoding.EncodePair(conventions.Description + prompt, SuiteEvaluator.TargetDelimiter + "lima .");
        Assert.Equal(withEos, context);
        Assert.Equal(tokenizer.Encode("lima ."), continuation);
        Assert.Equal(withEos, encoding.EncodePrompt(conventions.Description + prompt, 100));
        Assert.Equal([Show(([tokenizer.EosId], tokenizer.Encode("the capital of peru is lima .")))], encoding.RollingWindows("the capital of peru is lima .", 100).Select(Show));
    }

    [Fact]
    public void AGenerationIsCutBeforeEachStopStringAndEosTextIsAStop()
    {
        var encoding = new LmEvalTokenization(WordTokenizer.Build(["a"]));
        Assert.Equal([".", "<eos>"], encoding.StopStrings(["."]));
        Assert.Equal("lima ", LmEvalTokenization.CutAtStops("lima . q : what", ["."]));
        Assert.Equal("lima", LmEvalTokenization.CutAtStops("lima\n\nQ: x.", ["\n\n", "."]));
    }

    [Fact]
    public void PythonsStripWhitespaceIncludesTheInformationSeparators()
    {
        Assert.Equal(3, LmEvalTokenization.TrailingWhitespace("a \u001f\u00a0"));
        Assert.Equal(0, LmEvalTokenization.TrailingWhitespace("a"));
    }
}
