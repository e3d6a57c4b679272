using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

public class SpecHashTests
{
    private static readonly LabSpec Spec = SpecText.Parse(SpecText.Valid);

    [Fact]
    public void TheCanonicalTextHasAFixedShape()
    {
        Assert.Equal(
            """{"v":1,"world":"builtin","seed":1,"model":{"n_layer":2,"n_head":2,"n_embd":32,"n_ctx":32,"dropout":0},"pretrain":{"steps":10,"batch_size":16,"lr":0.001,"warmup_steps":2,"schedule":"cosine","weight_decay":0.01,"grad_clip":1}}""",
            SpecHash.CanonicalBaseJson(Spec.Base, Spec.Seed));
    }

    [Fact]
    public void TheHashIsStableAcrossLoadsAndRuns()
    {
        var again = SpecText.Parse(SpecText.Valid);

        Assert.Equal(SpecHash.ForBase(Spec), SpecHash.ForBase(again));
        Assert.Matches("^[0-9a-f]{16}$", SpecHash.ForBase(Spec));
        Assert.Equal(PinnedHash, SpecHash.ForBase(Spec));
    }

    [Fact]
    public void ASubwordBaseIsHashedWithItsDocumentFramingSoABaseTrainedEosFirstIsNotReused()
    {
        // The lab pre-trains Hugging Face tokenizers' bases BOS first since issue 12's one scoring rule; their cache entries must differ.
        var sentencePiece = SpecText.Parse(SpecText.With("  world: builtin\n", "  world: builtin\n  architecture: llama\n  tokenizer: { kind: sentencepiece, vocab_size: 1000 }\n"));

        Assert.Contains("""
            "tokenizer":{"kind":"sentencepiece","vocab_size":1000,"documents":"special_tokens"}
            """, SpecHash.CanonicalBaseJson(sentencePiece.Base, sentencePiece.Seed), StringComparison.Ordinal);
        Assert.DoesNotContain("documents", SpecHash.CanonicalBaseJson(Spec.Base, Spec.Seed), StringComparison.Ordinal);
    }

    // The model cache is keyed by this value: changing it orphans every cached base.
    private const string PinnedHash = "3fad97a009a8b2eb";

    public static TheoryData<string, string> BaseChanges => new()
    {
        { "    lr: 1.0e-3", "    lr: 2.0e-3" },
        { "    steps: 10", "    steps: 11" },
        { "    warmup_steps: 2\ntarget", "    warmup_steps: 3\ntarget" },
        { "    n_layer: 2", "    n_layer: 3" },
        { "    dropout: 0.0", "    dropout: 0.1" },
        { "seed: 1\n", "seed: 2\n" },
    };

    [Theory]
    [MemberData(nameof(BaseChanges))]
    public void ChangingPretrainingChangesTheHash(string find, string replace) =>
        Assert.NotEqual(SpecHash.ForBase(Spec), SpecHash.ForBase(SpecText.Parse(SpecText.With(find, replace))));

    public static TheoryData<string, string> NonBaseChanges => new()
    {
        { "name: t", "name: other" },
        { "lr: [1.0e-4, 3.0e-4]", "lr: [1.0e-4, 3.0e-4, 1.0e-3]" },
        { "steps: [20]", "steps: [20, 40]" },
        { "      rank: 4", "      rank: 16" },
        { "  lr: 1.0e-4\n", "  lr: 5.0e-4\n" },
        { "[target, capitals_recall]", "[target]" },
        { "  count: 5", "  count: 9" },
        { "  checkpoint_every: 10", "  checkpoint_every: 10\n  replay: { ratio: 0.5 }\n  ewc: { lambda: 10 }\n  l2sp: { alpha: 1 }\n  distill: { beta: 1 }\n  early_stopping: { suite: target, max_severity: mild }" },
        { "  seed: [1]", "  seed: [1]\n  replay: [0, 0.25]\n  ewc_lambda: [0, 5]" },
        { "    - { type: full }", "    - { type: adapter, bottleneck: 4 }\n    - prefix\n    - bitfit\n    - { type: freeze, trainable_layers: [0] }" },
    };

    [Theory]
    [MemberData(nameof(NonBaseChanges))]
    public void ChangingGridTrainTargetOrSuitesKeepsTheHash(string find, string replace) =>
        Assert.Equal(SpecHash.ForBase(Spec), SpecHash.ForBase(SpecText.Parse(SpecText.With(find, replace))));
}
