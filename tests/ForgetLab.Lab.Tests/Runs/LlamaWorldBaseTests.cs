using System.Text.Json.Nodes;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Llama;
using ForgetLab.Lab.Model.Weights;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// A built-in world's base in the Llama architecture with a tokenizer trained on the world's text, end to end on a
/// small slice of the world: pre-trained into a Hugging Face folder, fine-tuned (full and LoRA), exported as a model
/// folder that loads back bit-identically, and used again as <c>base.path</c>.
/// </summary>
public class LlamaWorldBaseTests(LlamaWorldBaseTests.SharedCache shared) : IClassFixture<LlamaWorldBaseTests.SharedCache>
{
    /// <summary>One cache and world slice for the class, so the tests pre-train each tokenizer kind's base once.</summary>
    public sealed class SharedCache
    {
        public LabRunnerOptions Options { get; } = new()
        {
            CacheDirectory = TinyModels.TempDirectory(),
            WorldDataDirectory = SmallWorlds.Write(countries: 20, elements: 8, stride: 5),
            Corpus = new WorldCorpusOptions(ArithmeticLines: 20, CopyLines: 10),
        };
    }

    private const string Spec = """
        name: tiny-llama
        seed: 2
        base:
          world: builtin
          architecture: llama
          tokenizer: { kind: KIND, vocab_size: 400 }
          model: { n_layer: 1, n_head: 2, n_kv_head: 1, n_embd: 32, n_ctx: 32 }
          pretrain: { steps: 3, batch_size: 4, lr: 3.0e-3, warmup_steps: 1 }
        target: { task: conflicting_facts, count: 4 }
        suites: [target, capitals_recall, capitals_mc]
        train: { steps: 2, batch_size: 4, warmup_steps: 1, checkpoint_every: 2 }
        grid:
          method:
            - { type: full }
            - { type: lora, rank: 2, alpha: 4, target_modules: all-linear }
            - { type: adapter, bottleneck: 4 }
        eval: { max_items: 6, batch_size: 8, bootstrap_resamples: 100 }
        """;

    private LabRunnerOptions Options() => shared.Options;

    [Theory]
    [InlineData("sentencepiece", "tokenizer.model", "LlamaTokenizer")]
    [InlineData("bpe", "tokenizer.json", "GPT2TokenizerFast")]
    public void TheBaseIsAHuggingFaceLlamaFolderWithItsTrainedTokenizer(string kind, string vocabularyFile, string tokenizerClass)
    {
        var options = Options();
        var spec = SpecLoader.Parse(Spec.Replace("KIND", kind, StringComparison.Ordinal), "tiny.yaml", null);
        var world = BuiltInWorld.Load(options.Corpus! with { Seed = spec.Seed }, options.WorldDataDirectory);

        var (folder, _, tokenizer) = new BaseModelCache(options.CacheDirectory).GetOrPretrain(spec, world, options.WorldVariant);

        foreach (var file in new[] { vocabularyFile, "tokenizer_config.json", "special_tokens_map.json", "generation_config.json", "config.json", "model.safetensors" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.False(File.Exists(Path.Combine(folder, "vocab.json")));
        var config = Assert.IsType<LlamaConfig>(ModelFolder.ReadConfig(folder));
        Assert.Equal((400, 32, 128, 1, 2, 1, 16, 32, true), (config.VocabSize, config.HiddenSize, config.IntermediateSize, config.NumHiddenLayers,
            config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim, config.MaxPositionEmbeddings, config.TieWordEmbeddings));
        var pretrained = PretrainedTokenizer.Load(folder);
        Assert.Equal(400, pretrained.VocabSize);
        Assert.Null(pretrained.CheckFits(config.VocabSize));
        Assert.Equal(tokenizerClass, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!["tokenizer_class"]!.GetValue<string>());
        Assert.NotNull(tokenizer.EosId);
        Assert.Equal(pretrained.EosId, tokenizer.EosId);

        // A subword tokenizer sees the world's text as it is: every document round-trips, none needs <unk>.
        foreach (var document in world.Corpus.Documents.Take(200))
        {
            var ids = tokenizer.EncodeText(document);
            Assert.DoesNotContain(ids, id => id == tokenizer.UnkId);
            Assert.Equal(document, tokenizer.Decode(ids, skipSpecialTokens: true));
        }

        // A completion gets the ids it has after a space in running text (▁lima, Ġlima), not those of the word alone at a text's start.
        var pair = world.Targets.ConflictingFacts(4, 2).Pairs[0];
        var (context, continuation) = tokenizer.EncodePair(pair.Prompt, " " + pair.Completion);
        Assert.Equal(tokenizer.EncodeText(pair.Text), context.Concat(continuation).ToArray());
        Assert.StartsWith(kind == "bpe" ? "Ġ" : "▁", tokenizer.IdToToken(continuation[0]));
    }

    [Fact]
    public void ALabPretrainedSentencePieceBaseScoresExactlyAsItsFolderDoesAsBasePath()
    {
        // One rule (issue 12): the lab scores its own SentencePiece base as lm-eval scores that Hugging Face folder, BOS first.
        var options = Options();
        var own = Spec.Replace("KIND", "sentencepiece", StringComparison.Ordinal)
            .Replace("suites: [target, capitals_recall, capitals_mc]", "suites: [capitals_recall, capitals_mc, text_perplexity]", StringComparison.Ordinal)
            .Replace("    - { type: lora, rank: 2, alpha: 4, target_modules: all-linear }\n    - { type: adapter, bottleneck: 4 }\n", "", StringComparison.Ordinal);
        var inLab = new LabRunner(options).Run(SpecLoader.Parse(own, "own.yaml", null), TinyModels.TempDirectory());
        var byPath = SpecLoader.Parse(own.Replace(
            "  world: builtin\n  architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 400 }\n  model: { n_layer: 1, n_head: 2, n_kv_head: 1, n_embd: 32, n_ctx: 32 }\n  pretrain: { steps: 3, batch_size: 4, lr: 3.0e-3, warmup_steps: 1 }\n",
            $"  path: {inLab.BaseFolder}\n", StringComparison.Ordinal), "path.yaml", null);
        Assert.NotNull(byPath.Base.Path);

        var registered = new LabRunner(options).Run(byPath, TinyModels.TempDirectory());

        Assert.Equal(3, inLab.Report.Base.Suites.Count);
        Assert.Equal(inLab.Report.Base.Suites.Select(s => (s.Suite, s.Score)), registered.Report.Base.Suites.Select(s => (s.Suite, s.Score)));
    }

    [Fact]
    public void FineTunedCheckpointsExportAsModelFoldersThatLoadBackBitIdenticallyAndServeAsABase()
    {
        var options = Options();
        var spec = SpecLoader.Parse(Spec.Replace("KIND", "sentencepiece", StringComparison.Ordinal), "tiny.yaml", null);
        var outDir = TinyModels.TempDirectory();

        var result = new LabRunner(options).Run(spec, outDir);

        Assert.All(result.Report.Runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal("builtin-llama-1x32-sentencepiece400", result.Report.Base.Model);
        var lora = result.Report.Runs.Single(r => r.Name.StartsWith("lora", StringComparison.Ordinal)).Name;
        var checkpoint = Path.Combine(outDir, "runs", lora, "step-2");
        var exported = TinyModels.TempDirectory();

        Assert.Equal("lora", CheckpointExport.Export(checkpoint, result.BaseFolder, exported, maxShardBytes: 20_000));

        Assert.True(File.Exists(Path.Combine(exported, ModelWeights.IndexFile)), "the embedding (400 × 32 floats) alone passes 20 kB");
        Assert.True(File.Exists(Path.Combine(exported, "tokenizer.model")));
        using var merged = ModelFolder.Load(exported);
        using var adapted = ModelFolder.Load(result.BaseFolder);
        var settings = LoraSettings.Read(checkpoint);
        settings.Apply(adapted);
        settings.LoadWeights(adapted, checkpoint);
        var effective = adapted.EffectiveStateDict();
        Assert.Equal(effective.Keys.Order(StringComparer.Ordinal), merged.BaseStateDict().Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in merged.BaseStateDict()) Assert.True(TensorAssert.Same(effective[key], value), key);
        Assert.Contains(effective, kv => kv.Key.EndsWith("q_proj.weight", StringComparison.Ordinal)
            && !TensorAssert.Same(kv.Value, ModelFolder.Load(result.BaseFolder).BaseStateDict()[kv.Key]));

        // A bottleneck adapter adds modules a Llama folder has no place for: refused, naming the method.
        var adapter = result.Report.Runs.Single(r => r.Name.StartsWith("adapter", StringComparison.Ordinal)).Name;
        var refused = Assert.Throws<InvalidDataException>(() => CheckpointExport.Export(
            Path.Combine(outDir, "runs", adapter, "step-2"), result.BaseFolder, TinyModels.TempDirectory()));
        Assert.Contains("forgetlab_method: 'adapter'", refused.Message);

        // A full fine-tune exports too, and the exported folder is a base the lab takes with its tokenizer.
        var full = result.Report.Runs.Single(r => r.Name.StartsWith("full", StringComparison.Ordinal)).Name;
        var fullExport = TinyModels.TempDirectory();
        Assert.Equal("full", CheckpointExport.Export(Path.Combine(outDir, "runs", full, "step-2"), result.BaseFolder, fullExport));
        var asBase = SpecLoader.Parse(
            Spec.Replace("KIND", "sentencepiece", StringComparison.Ordinal)
                .Replace("  world: builtin\n  architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 400 }\n  model: { n_layer: 1, n_head: 2, n_kv_head: 1, n_embd: 32, n_ctx: 32 }\n  pretrain: { steps: 3, batch_size: 4, lr: 3.0e-3, warmup_steps: 1 }\n",
                    $"  path: {fullExport}\n", StringComparison.Ordinal)
                .Replace("    - { type: lora, rank: 2, alpha: 4, target_modules: all-linear }\n    - { type: adapter, bottleneck: 4 }\n", "", StringComparison.Ordinal),
            "again.yaml", null);
        var again = new LabRunner(options).Run(asBase, TinyModels.TempDirectory());
        Assert.Equal(RunStatus.Completed, Assert.Single(again.Report.Runs).Status);

        // A tokenizer that does not fit the folder's vocab_size is refused, naming the file.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(fullExport, "config.json")))!;
        config["vocab_size"] = 300;
        File.WriteAllText(Path.Combine(fullExport, "config.json"), config.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => new LabRunner(options).Run(asBase, TinyModels.TempDirectory()));
        Assert.Contains("tokenizer.model: ids reach 399", e.Message);
        Assert.Contains("vocab_size is 300", e.Message);
    }
}
