using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Tests.Data;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Tests.Training;

/// <summary>
/// A base is trained on documents framed as it is later scored: ForgetLab's word-level tokenizer EOS first, a Hugging
/// Face tokenizer as <c>tokenizer(text)</c> frames it (Llama's SentencePiece: BOS first) and lm-eval scores its folder.
/// </summary>
public class DocumentFramingTests
{
    private static long[] FirstRow(PackedTextBatches batches)
    {
        var (input, target, _) = batches.Next(1);
        using (input)
        using (target)
            return [input[0, 0].item<long>(), .. target[0].data<long>().ToArray()];
    }

    [Fact]
    public void ALlamaSentencePieceBaseIsPreTrainedOnBosTextEosDocumentsAsLmEvalEncodesThem()
    {
        var tokenizer = DataFixtures.SentencePiece();
        var document = tokenizer.EncodeText("the capital of peru is lima .");
        var framing = DocumentFraming.For(tokenizer);

        var row = FirstRow(new PackedTextBatches([document], (document.Length + 2) * 3 - 1, framing, seed: 1));

        int[] framed = [tokenizer.BosId!.Value, .. document, tokenizer.EosId!.Value];
        Assert.Equal([.. framed, .. framed, .. framed], row.Select(t => (int)t).ToArray());
        // The context lm-eval scores for this text (BOS added by the tokenizer) is the start of every training row.
        var lmEval = new LmEvalTokenization(tokenizer, EvaluationConventions.For(tokenizer).Options);
        Assert.Equal(lmEval.TokEncode("the capital of peru is lima ."), row.Take(document.Length + 1).Select(t => (int)t).ToArray());
        Assert.Equal(tokenizer.BosId, framing.StartId);
    }

    [Fact]
    public void AWordLevelBaseKeepsEosBeforeEveryDocumentAndIsScoredEosFirst()
    {
        var tokenizer = WordTokenizer.Build(["the capital of peru is lima ."]);
        var document = tokenizer.EncodeText("the capital of peru is lima .");

        var row = FirstRow(new PackedTextBatches([document], document.Length * 2 + 1, DocumentFraming.For(tokenizer), seed: 1));

        Assert.Equal([tokenizer.EosId, .. document, tokenizer.EosId, .. document], row.Select(t => (int)t).ToArray());
        Assert.Equal(EvaluationConventions.LabDocuments(tokenizer), EvaluationConventions.For(tokenizer));
        Assert.Equal(tokenizer.EosId, DocumentFraming.For(tokenizer).StartId);
    }

    [Fact]
    public void EveryHuggingFaceTokenizerIsScoredWithLmEvalsDefaultsWhoeverTrainedTheBase()
    {
        Assert.Equal(EvaluationConventions.LmEval, EvaluationConventions.For(DataFixtures.SentencePiece()));
    }
}
