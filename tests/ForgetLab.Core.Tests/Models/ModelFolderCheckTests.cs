using System.Text;
using ForgetLab.Core.Models;

namespace ForgetLab.Core.Tests.Models;

/// <summary>The registry's check of a Hugging Face folder: what it takes, and each way a folder is refused at its file and field.</summary>
public sealed class ModelFolderCheckTests
{
    private static (ModelSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) Check(Dictionary<string, byte[]> files) =>
        ModelFolderCheck.Check(TinyHfFolders.Heads(files));

    [Theory]
    [InlineData("F32", false, false)]
    [InlineData("BF16", true, false)]
    [InlineData("F16", false, true)]
    public void ATinyLlamaFolderIsTakenWithItsArchitectureParametersDtypeAndTokenizer(string dtype, bool sharded, bool wordVocab)
    {
        var (summary, problems) = Check(TinyHfFolders.Llama(dtype, sharded, wordVocab));

        Assert.Empty(problems);
        // embed 16×8 + q 8×8 + k, v 4×8 + o 8×8 + gate, up 12×8 + down 8×12 + two norms 8 + final norm 8 + head 16×8
        Assert.Equal(128 + 64 + 32 + 32 + 64 + 96 + 96 + 96 + 16 + 8 + 128, summary!.Parameters);
        Assert.Equal(("llama", dtype, 1, 2, 1), (summary.ModelType, summary.Dtype, summary.Layers, summary.Heads, summary.KeyValueHeads));
        Assert.Equal(wordVocab ? new ModelTokenizerSummary("word", "vocab.json", 16) : new ModelTokenizerSummary("bpe", "tokenizer.json", 16), summary.Tokenizer);
        Assert.Equal(summary.Parameters * (dtype == "F32" ? 4 : 2), summary.WeightBytes);
    }

    [Theory]
    [MemberData(nameof(TinyHfFolders.Broken), MemberType = typeof(TinyHfFolders))]
    public void ABrokenFolderIsRefusedAtItsFileAndField(string broken, string where, string message)
    {
        var files = TinyHfFolders.Break(broken);

        var (summary, problems) = Check(files);

        Assert.Null(summary);
        Assert.Contains(problems, p => p.Where == where && p.Message.Contains(message, StringComparison.Ordinal));
    }
}
