using ForgetLab.Core.Data;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Tests.Data;

/// <summary>
/// The held-out examples (target.eval_split or target.eval_data) are never trained on, are picked by the spec's
/// seed, and become the target suite; examples longer than the context are refused or cut as the spec says.
/// </summary>
public class TargetDataTests
{
    private static readonly string Pairs = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"{{\"prompt\": \"q : what is {Word(i)} ?\", \"completion\": \" a : {Word(i)} .\"}}"));

    private static string Word(int i) => new string((char)('a' + i % 26), 1 + i / 26) + "x";

    private static TargetDataSpec Spec(string path, EvalSplit? split = null, string? evalPath = null, TooLongPolicy tooLong = TooLongPolicy.Refuse) =>
        new() { Path = "data.jsonl", FullPath = path, EvalSplit = split, EvalPath = evalPath is null ? null : "eval.jsonl", EvalFullPath = evalPath, TooLong = tooLong };

    private static ForgetLab.Lab.Tokenization.WordTokenizer Tokenizer => DataFixtures.Words(Pairs.Replace('"', ' '));

    [Fact]
    public void AnEvalSplitHoldsOutExamplesThatAreNeverTrainedOn()
    {
        var data = TargetData.Load(Spec(DataFixtures.Write(Pairs), new EvalSplit(0.25, null)), Tokenizer, null, 64, seed: 3);

        var suite = Assert.IsType<SuiteDefinition>(data.HeldOut);
        Assert.Equal(5, suite.Items.Count);                           // ceil(0.25 · 20), as datasets' train_test_split
        Assert.Equal(15, data.Training.Count);
        Assert.Equal(SuiteKinds.Loglikelihood, suite.Kind);
        Assert.Equal(SuiteCategories.Target, suite.Category);
        var tokenizer = Tokenizer;
        var trainedPrompts = data.Training.Select(t => string.Join(' ', t.Ids.Where((_, i) => !t.Loss[i]).Select(id => tokenizer.IdToToken(id)))).ToHashSet();
        Assert.All(suite.Items, item => Assert.DoesNotContain(string.Join(' ', ForgetLab.Lab.Tokenization.WordSplitter.Words(item.Prompt)), trainedPrompts));
        Assert.Equal(20, suite.Items.Count + data.Training.Count);
    }

    [Fact]
    public void TheSplitIsSeededAndACountHoldsOutExactlyThatMany()
    {
        var file = DataFixtures.Parse(Pairs);
        var a = TargetData.Split(file, new EvalSplit(null, 4), seed: 1).HeldOut.Select(e => e.Line).ToList();
        Assert.Equal(a, TargetData.Split(file, new EvalSplit(null, 4), seed: 1).HeldOut.Select(e => e.Line));
        Assert.NotEqual(a, TargetData.Split(file, new EvalSplit(null, 4), seed: 2).HeldOut.Select(e => e.Line));
        Assert.Equal(4, a.Count);
        Assert.Equal(a.Order(), a);                                     // both parts keep the file's order
    }

    [Fact]
    public void ASplitThatLeavesNothingToTrainOnIsRefused()
    {
        var e = Assert.Throws<DataFileException>(() => TargetData.Split(DataFixtures.Parse(Pairs), new EvalSplit(null, 20), 0));
        Assert.Equal("data.jsonl: target.eval_split 20 holds out 20 of its 20 examples, leaving none to train on", e.Message);
    }

    [Fact]
    public void ASecondFileIsHeldOutWholeAndTheReportBoundsNameBothFiles()
    {
        var eval = DataFixtures.Write("{\"prompt\": \"q : what is bx ?\", \"completion\": \" a : bx .\"}\n");
        var data = TargetData.Load(Spec(DataFixtures.Write(Pairs), evalPath: eval), Tokenizer, null, 64, 0);

        Assert.Equal(20, data.Training.Count);
        Assert.Equal("line-1", Assert.Single(data.HeldOut!.Items).Id);
        var target = data.Bounds.Single(b => b.Role == "target");
        Assert.Equal(("data.jsonl", "prompt_completion", 20), (target.File, target.Shape, target.Examples));
        Assert.Equal(data.Training.Sum(t => t.Ids.Length), target.Tokens);
        Assert.Equal(data.Training.Sum(t => t.LossTokens), target.LossTokens);
        Assert.Equal(64, target.Sha256.Length);
        Assert.Equal(("eval.jsonl", 1), (data.Bounds.Single(b => b.Role == "target_eval").File, data.Bounds.Single(b => b.Role == "target_eval").Examples));
    }

    [Fact]
    public void TextLongerThanTheContextIsRefusedNamingItsLine()
    {
        var path = DataFixtures.Write("{\"text\": \"a b\"}\n{\"text\": \"a b a b a b a b a b\"}\n");
        var e = Assert.Throws<DataFileException>(() => TargetData.Load(Spec(path), DataFixtures.Words("a b"), null, 8, 0));
        Assert.Equal("data.jsonl:2: text: 11 tokens; the base's context holds 8 (target.too_long: truncate cuts such examples to it)", e.Message);
    }

    [Fact]
    public void TruncateCutsLongExamplesToTheContextAndCountsThem()
    {
        var path = DataFixtures.Write("{\"text\": \"a b\"}\n{\"text\": \"a b a b a b a b a b\"}\n");
        var data = TargetData.Load(Spec(path, tooLong: TooLongPolicy.Truncate), DataFixtures.Words("a b"), null, 8, 0);

        Assert.Equal([3, 8], data.Training.Select(t => t.Ids.Length));
        var bounds = Assert.Single(data.Bounds);
        Assert.Equal((1, 11L), (bounds.Truncated, bounds.Tokens));
        Assert.Null(data.HeldOut);
    }

    [Fact]
    public void WordsTheBaseDoesNotKnowAreCountedAsUnknownTokens()
    {
        var path = DataFixtures.Write("{\"text\": \"a zebra b\"}\n");
        var bounds = Assert.Single(TargetData.Load(Spec(path), DataFixtures.Words("a b"), null, 8, 0).Bounds);
        Assert.Equal(1, bounds.UnknownTokens);
    }

    [Fact]
    public void AHeldOutTextFileBecomesAPerplexitySuite()
    {
        var text = string.Join('\n', Enumerable.Range(0, 10).Select(i => $"{{\"text\": \"a b {(i % 2 == 0 ? "a" : "b")}\"}}"));
        var data = TargetData.Load(Spec(DataFixtures.Write(text), new EvalSplit(0.2, null)), DataFixtures.Words("a b"), null, 8, 0);
        Assert.Equal(SuiteKinds.LoglikelihoodRolling, data.HeldOut!.Kind);
        Assert.Equal(2, data.HeldOut.Items.Count);
    }
}
