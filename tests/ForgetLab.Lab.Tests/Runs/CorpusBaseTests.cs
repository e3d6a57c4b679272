using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// <c>base.pretrain.corpus</c>: a base pre-trained from scratch on the user's own text, with a word tokenizer built
/// from that text or a subword tokenizer trained on it, then fine-tuned on the user's data and reported with the
/// corpus's bounds.
/// </summary>
public class CorpusBaseTests
{
    private static readonly string[] Facts = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

    private static string Spec(string tokenizer) => $$"""
        name: own-corpus
        seed: 4
        base:
          world: builtin
          {{tokenizer}}
          model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }
          pretrain: { steps: 10, batch_size: 8, lr: 3.0e-3, warmup_steps: 2, corpus: corpus.jsonl }
        target: { data: pairs.jsonl, eval_split: 2 }
        suites: [target, text.yaml]
        train: { steps: 4, batch_size: 4, warmup_steps: 1, checkpoint_every: 4 }
        eval: { max_items: 0 }
        """;

    private static (string Dir, LabRunnerOptions Options) Setup()
    {
        var dir = TinyModels.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), string.Join('\n', Facts.Select((f, i) => $"{{\"text\": \"the code of {f} is {i} .\"}}")));
        File.WriteAllText(Path.Combine(dir, "pairs.jsonl"), string.Join('\n', Facts.Select((f, i) => $"{{\"prompt\": \"the code of {f} is\", \"completion\": \" {i} .\"}}")));
        File.WriteAllText(Path.Combine(dir, "text.yaml"), "task: text\nversion: 1\ncategory: language\noutput_type: loglikelihood_rolling\ndataset_path: text.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "text.jsonl"), "{\"id\": \"t1\", \"target\": \"the code of beta is 1 .\"}\n");
        return (dir, new LabRunnerOptions
        {
            CacheDirectory = TinyModels.TempDirectory(),
            WorldDataDirectory = SmallWorlds.Write(countries: 4, elements: 2),
            Corpus = new WorldCorpusOptions(ArithmeticLines: 10, CopyLines: 5),
        });
    }

    [Fact]
    public void AWordBaseLearnsTheVocabularyOfTheUsersCorpusAndTheReportRecordsIt()
    {
        var (dir, options) = Setup();
        var spec = SpecLoader.Parse(Spec(""), Path.Combine(dir, "spec.yaml"), dir);

        var result = new LabRunner(options).Run(spec, TinyModels.TempDirectory());

        var words = WordTokenizer.Load(Path.Combine(result.BaseFolder, BaseModelCache.VocabFile));
        Assert.Equal([.. new[] { "<pad>", "<bos>", "<eos>", "<unk>" }, .. ". 0 1 2 3 4 5 alpha beta code delta epsilon gamma is of the zeta".Split(' ')], words.Tokens);
        var pretrain = result.Report.Data.Single(d => d.Role == "pretrain_corpus");
        Assert.Equal(("corpus.jsonl", 6, 0L), (pretrain.File, pretrain.Examples, pretrain.UnknownTokens));
        Assert.Equal(0, result.Report.Data.Single(d => d.Role == "target").UnknownTokens);
        Assert.Equal(Core.Reports.RunStatus.Completed, Assert.Single(result.Report.Runs).Status);
    }

    [Fact]
    public void ABpeBaseTrainsItsTokenizerOnTheUsersCorpus()
    {
        var (dir, options) = Setup();
        var spec = SpecLoader.Parse(Spec("tokenizer: { kind: bpe, vocab_size: 300 }"), Path.Combine(dir, "spec.yaml"), dir);

        var result = new LabRunner(options).Run(spec, TinyModels.TempDirectory());

        var tokenizer = BaseTokenizers.Load(result.BaseFolder, vocabSize: null);
        Assert.Contains(tokenizer.EncodeText("the code of epsilon"), id => (tokenizer.IdToToken(id) ?? "").Contains("eps", StringComparison.Ordinal)); // merges learned from the corpus
        Assert.Equal(6, result.Report.Data.Single(d => d.Role == "pretrain_corpus").Examples);
    }

    [Fact]
    public void ASentencePieceBaseTrainsItsTokenizerOnTheUsersCorpus()
    {
        var (dir, options) = Setup();
        var spec = SpecLoader.Parse(Spec("architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 300 }"), Path.Combine(dir, "spec.yaml"), dir);

        var result = new LabRunner(options).Run(spec, TinyModels.TempDirectory());

        var tokenizer = BaseTokenizers.Load(result.BaseFolder, vocabSize: null);
        // spm_train ran on the corpus alone (it replaces the world's text): "code", in every line of it, is one piece; "epsilon", in
        // one line only, is spelled in its characters (all seen in the corpus, so no byte fallback).
        Assert.Equal(["▁the", "▁code", "▁of", "▁", "e", "p", "s", "i", "l", "o", "n"], tokenizer.EncodeText("the code of epsilon").Select(id => tokenizer.IdToToken(id)));
        Assert.Equal(6, result.Report.Data.Single(d => d.Role == "pretrain_corpus").Examples);
        Assert.Equal(Core.Reports.RunStatus.Completed, Assert.Single(result.Report.Runs).Status);
    }

    [Fact]
    public void AnExistingTokenizerJsonIsCopiedIntoTheBaseAndUsedAsItIs()
    {
        var (dir, options) = Setup();
        var tok = Directory.CreateDirectory(Path.Combine(dir, "tok")).FullName;
        Core.Tokenizers.ByteLevelBpeTrainer.Train([.. Facts.Select(f => $"the code of {f} is 1 .")], 300).Write(Path.Combine(tok, "tokenizer.json"));
        var end = Core.Tokenizers.ByteLevelBpeTrainer.EndOfText;
        File.WriteAllText(Path.Combine(tok, "tokenizer_config.json"), $$$"""{"bos_token": "{{{end}}}", "eos_token": "{{{end}}}"}""");
        var spec = SpecLoader.Parse(Spec("tokenizer: { kind: file, path: tok/tokenizer.json }"), Path.Combine(dir, "spec.yaml"), dir);

        var result = new LabRunner(options).Run(spec, TinyModels.TempDirectory());

        Assert.Equal(File.ReadAllBytes(Path.Combine(tok, "tokenizer.json")), File.ReadAllBytes(Path.Combine(result.BaseFolder, "tokenizer.json")));
        Assert.Equal(Core.Reports.RunStatus.Completed, Assert.Single(result.Report.Runs).Status);
        Assert.EndsWith("-file", result.Report.Base.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorldBaseWithoutACorpusKeepsEveryWordItsWorldCanProduce()
    {
        var (_, options) = Setup();
        var spec = SpecLoader.Parse("""
            name: world
            base:
              world: builtin
              model: { n_layer: 1, n_head: 2, n_embd: 16, n_ctx: 16 }
              pretrain: { steps: 1, batch_size: 2, warmup_steps: 0 }
            target: { task: format, count: 2 }
            suites: [target]
            """, "spec.yaml", null);
        var world = BuiltInWorld.Load(options.Corpus! with { Seed = spec.Seed }, options.WorldDataDirectory);

        var (folder, _, _) = new BaseModelCache(options.CacheDirectory).GetOrPretrain(spec, world);

        // Its suites' and targets' words too, not only the pre-training text's: the lab's tokenizer is rebuilt from all of them.
        Assert.Equal(world.BuildTokenizer().Tokens, WordTokenizer.Load(Path.Combine(folder, BaseModelCache.VocabFile)).Tokens);
    }
}
