using ForgetLab.Core.Data;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Data;

/// <summary>
/// A corpus a consolidation method draws general text from (<c>train.replay.corpus</c>, <c>train.distill.corpus</c>,
/// <c>train.ewc.corpus</c>): a JSONL file of <c>{"text"}</c> lines, each a document the lab packs into context-length
/// rows after EOS, as it packs its world's pre-training text. Documents longer than the context span several rows.
/// </summary>
public sealed record TextCorpus(IReadOnlyList<int[]> Documents, DataFileReport Bounds)
{
    /// <param name="role">replay_corpus, distill_corpus or ewc_corpus (what the report calls it).</param>
    public static TextCorpus Load(CorpusRef corpus, ITokenizer tokenizer, string role)
    {
        var file = JsonlDataFile.Read(corpus.FullPath, corpus.Path, only: DataShape.Text);
        var documents = file.Examples.Cast<TextExample>().Select(t => tokenizer.EncodeText(t.Text)).ToList();
        var tokens = documents.Sum(d => (long)d.Length);
        return new TextCorpus(documents, new DataFileReport(role, file.Name, file.Sha256, DataShapes.Name(file.Shape), documents.Count, tokens)
        {
            LossTokens = tokens, UnknownTokens = TargetData.Unknown(tokenizer, documents.SelectMany(d => d)),
        });
    }
}
