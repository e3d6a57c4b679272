using ForgetLab.Lab.Tests.World;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Tokenization;

public class LabTokenIdsTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public void TheWordTokenizerSplitsEveryFineTuningPairAsItEncodedItsHalvesSoTheDefaultBasesNumbersStand()
    {
        var w = fixture.World;
        var pairs = new[] { w.Targets.ConflictingFacts(40, 1), w.Targets.NewEntities(40, 1), w.Targets.FormatTask(40, 1) }.SelectMany(t => t.Pairs);

        foreach (var pair in pairs)
        {
            var (context, continuation) = fixture.Tokenizer.EncodePair(pair.Prompt, " " + pair.Completion);
            Assert.Equal(fixture.Tokenizer.EncodeText(pair.Prompt), context);
            Assert.Equal(fixture.Tokenizer.EncodeText(pair.Completion), continuation);
        }
    }

    [Fact]
    public void TrailingWhitespaceOfTheContextMovesToTheContinuationAsInLmEval()
    {
        var (context, continuation) = fixture.Tokenizer.EncodePair("q : what is the capital of peru ? a : ", "lima");

        Assert.Equal(fixture.Tokenizer.EncodeText("q : what is the capital of peru ? a :"), context);
        Assert.Equal(fixture.Tokenizer.EncodeText("lima"), continuation);
    }
}
