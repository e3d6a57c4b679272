using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary><c>base.architecture</c>, <c>base.tokenizer</c> and <c>base.model.n_kv_head</c>: read, checked by field, hashed.</summary>
public class BaseArchitectureSpecTests
{
    private const string Llama = "  world: builtin\n  architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 1000 }\n";

    [Fact]
    public void ALlamaBaseWithASentencePieceTokenizerIsRead()
    {
        var spec = SpecText.Parse(SpecText.With("  world: builtin\n", Llama));

        Assert.Equal(BaseArchitecture.Llama, spec.Base.Architecture);
        Assert.Equal(new TokenizerSpec { Kind = TokenizerKind.SentencePiece, VocabSize = 1000 }, spec.Base.Tokenizer);
        Assert.Equal("builtin-llama-2x32-sentencepiece1000", ReportAssembly.BaseModelName(spec));
    }

    [Fact]
    public void TheDefaultBaseIsGpt2WithTheWordTokenizerAndKeepsItsName()
    {
        var spec = SpecText.Parse(SpecText.Valid);

        Assert.Equal(BaseArchitecture.Gpt2, spec.Base.Architecture);
        Assert.True(spec.Base.Tokenizer.IsWord);
        Assert.Null(spec.Base.Model.NKvHead);
        Assert.Equal("builtin-gpt2-2x32", ReportAssembly.BaseModelName(spec));
    }

    [Fact]
    public void WritingTheDefaultsOutKeepsTheCachedBasesHash()
    {
        var spelled = SpecText.Parse(SpecText.With("  world: builtin\n", "  world: builtin\n  architecture: gpt2\n  tokenizer: { kind: word }\n"));

        Assert.Equal(SpecHash.ForBase(SpecText.Parse(SpecText.Valid)), SpecHash.ForBase(spelled));
        Assert.Equal("3fad97a009a8b2eb", SpecHash.ForBase(spelled));
    }

    public static TheoryData<string> BaseChanges => new()
    {
        "  world: builtin\n  architecture: llama\n",
        "  world: builtin\n  tokenizer: { kind: sentencepiece }\n",
        "  world: builtin\n  tokenizer: { kind: bpe }\n",
        "  world: builtin\n  tokenizer: { kind: bpe, vocab_size: 2001 }\n",
        "  world: builtin\n  architecture: llama\n  model: { n_layer: 2, n_head: 2, n_kv_head: 1, n_embd: 32, n_ctx: 32 }\n",
    };

    [Theory]
    [MemberData(nameof(BaseChanges))]
    public void ArchitectureTokenizerAndKeyValueHeadsChangeTheHash(string replace)
    {
        var yaml = SpecText.With("  world: builtin\n", replace);
        if (replace.Contains("model:", StringComparison.Ordinal))
            yaml = yaml.Replace("  model:\n    n_layer: 2\n    n_head: 2\n    n_embd: 32\n    n_ctx: 32\n    dropout: 0.0\n", "", StringComparison.Ordinal);

        Assert.NotEqual(SpecHash.ForBase(SpecText.Parse(SpecText.Valid)), SpecHash.ForBase(SpecText.Parse(yaml)));
    }

    [Fact]
    public void BpeAndSentencePieceOfOneSizeAreDifferentBases() =>
        Assert.NotEqual(
            SpecHash.ForBase(SpecText.Parse(SpecText.With("  world: builtin\n", "  world: builtin\n  tokenizer: { kind: bpe }\n"))),
            SpecHash.ForBase(SpecText.Parse(SpecText.With("  world: builtin\n", "  world: builtin\n  tokenizer: { kind: sentencepiece }\n"))));

    public static TheoryData<string, string, string> BadBases => new()
    {
        { "  world: builtin\n", "  world: builtin\n  architecture: qwen9\n", "spec.yaml:5 base.architecture: unknown value 'qwen9' (expected one of: gpt2, llama)" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { kind: wordpiece }\n", "spec.yaml:5 base.tokenizer.kind: unknown value 'wordpiece' (expected one of: word, sentencepiece, bpe, file)" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { vocab_size: 1000 }\n", "spec.yaml:5 base.tokenizer.kind: required field is missing" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { kind: bpe, vocab_size: 100 }\n", "spec.yaml:5 base.tokenizer.vocab_size: must be between 300 and 65536" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { kind: bpe, vocab_size: 100000 }\n", "spec.yaml:5 base.tokenizer.vocab_size: must be between 300 and 65536" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { kind: word, vocab_size: 1000 }\n",
            "spec.yaml:5 base.tokenizer.vocab_size: applies to a trained tokenizer (sentencepiece, bpe); the word tokenizer's vocabulary is the world's words" },
        { "  world: builtin\n", "  world: builtin\n  tokenizer: { kind: bpe, merges: 10 }\n", "spec.yaml:5 base.tokenizer.merges: unknown field 'merges' (expected one of: kind, vocab_size, path)" },
        { "    n_head: 2\n", "    n_head: 2\n    n_kv_head: 1\n",
            "spec.yaml:8 base.model.n_kv_head: applies to a Llama base (base.architecture: llama); GPT-2's attention has as many key/value heads as query heads" },
        { "  world: builtin\n", "  world: builtin\n  architecture: llama\n  tokenizer: sentencepiece\n", "spec.yaml:6 base.tokenizer: expected a mapping, got 'sentencepiece'" },
    };

    [Theory]
    [MemberData(nameof(BadBases))]
    public void ABadArchitectureOrTokenizerIsRefusedNamingTheField(string find, string replace, string expected) =>
        Assert.Equal([expected], SpecText.Errors(SpecText.With(find, replace)));

    [Fact]
    public void KeyValueHeadsMustDivideTheQueryHeads() =>
        Assert.Equal(["spec.yaml:9 base.model.n_kv_head: must divide n_head (2)"],
            SpecText.Errors(SpecText.With("  world: builtin\n", "  world: builtin\n  architecture: llama\n").Replace("    n_head: 2\n", "    n_head: 2\n    n_kv_head: 3\n", StringComparison.Ordinal)));

    [Fact]
    public void ALlamaBaseRefusesDropout() =>
        Assert.Equal(["spec.yaml:11 base.model.dropout: must be 0 for a Llama base (Llama's layers have no dropout)"],
            SpecText.Errors(SpecText.With("  world: builtin\n", "  world: builtin\n  architecture: llama\n").Replace("dropout: 0.0", "dropout: 0.1", StringComparison.Ordinal)));

    [Fact]
    public void AFolderBaseTakesNoArchitectureOrTokenizer()
    {
        var dir = Directory.CreateTempSubdirectory("forgetlab-spec-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
        try
        {
            var errors = SpecText.Errors(SpecText.With("  world: builtin\n", $"  path: {dir}\n  architecture: llama\n  tokenizer: {{ kind: bpe }}\n")
                .Replace("  model:\n    n_layer: 2\n    n_head: 2\n    n_embd: 32\n    n_ctx: 32\n    dropout: 0.0\n  pretrain:\n    steps: 10\n    lr: 1.0e-3\n    warmup_steps: 2\n", "", StringComparison.Ordinal), dir);

            Assert.Equal(
                ["spec.yaml:5 base.architecture: cannot be combined with 'path' (a model folder brings its own config.json)",
                 "spec.yaml:6 base.tokenizer: cannot be combined with 'path' (a model folder brings its own config.json)"],
                errors);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
