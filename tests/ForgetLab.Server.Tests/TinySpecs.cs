namespace ForgetLab.Server.Tests;

/// <summary>
/// The one tiny spec the platform tests, the lab's job tests and the load benchmark train: a 1-layer GPT
/// pre-trained for 20 steps, six conflicting facts, eight items a suite. Each caller names only what it varies.
/// </summary>
internal static class TinySpecs
{
    private const string TinyBase = """
        model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }
          pretrain: { steps: 20, batch_size: 8, lr: 3.0e-3, warmup_steps: 5 }
        """;

    private const string KnowingBase = """
        model: { n_layer: 2, n_head: 2, n_embd: 128, n_ctx: 32 }
          pretrain: { steps: 600, batch_size: 16, lr: 3.0e-3, warmup_steps: 30, weight_decay: 0.01 }
        """;

    /// <param name="knowing">A base pre-trained long enough to know some capitals (so fine-tuning can make it forget them); slower.</param>
    public static string Grid(
        string name, int steps, int every, string suites = "target, capitals_recall, text_perplexity", string method = "{ type: full }",
        string lrs = "1.0e-3", bool knowing = false) => $$"""
        name: {{name}}
        seed: 3
        base:
          world: builtin
          {{(knowing ? KnowingBase : TinyBase)}}
        target: { task: conflicting_facts, count: 6 }
        suites: [{{suites}}]
        train: { steps: {{steps}}, batch_size: 4, warmup_steps: 1, checkpoint_every: {{every}} }
        grid:
          method: [ {{method}} ]
          lr: [{{lrs}}]
        eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
        """;
    /// <summary>
    /// A grid for the forgetting-aware search: two learning rates, a checkpoint every 4 of 12 steps and, with
    /// <paramref name="search"/>, <c>search: { kind: halving, rungs: [4], keep: 1 }</c>. The tiny base learns none of the six
    /// targets in 12 steps and knows no fact, so both runs score 0 with wide intervals at the rung: no difference is
    /// significant and the search must stop neither.
    /// </summary>
    public static string Halving(string name, bool search = true) =>
        Grid(name, steps: 12, every: 4, suites: "target", lrs: "1.0e-2, 1.0e-3")
        + (search ? "\nsearch: { kind: halving, rungs: [4], keep: 1 }\n" : "");

    /// <summary>The runs of <see cref="Halving"/>.</summary>
    public static readonly string[] HalvingRuns = ["full-lr1e-2-steps12-seed3", "full-lr1e-3-steps12-seed3"];

    /// <summary>
    /// A grid the search must cut: eight conflicting facts, a 2×64 base, 150 steps with checkpoints at 125 and 150 and a rung
    /// at 125. At lr 3e-3 the run has learned all eight by step 125 (gain 100, Tango interval [35, 100] in the lab on this
    /// machine); at lr 1e-6 it has learned none (0 [−32, 32]). Neither forgets anything (the target is the only suite), so
    /// the first dominates the second significantly on target gain, and the search stops it at the rung.
    /// </summary>
    public static string HalvingStop(string name) => $$"""
        name: {{name}}
        seed: 3
        base:
          world: builtin
          model: { n_layer: 2, n_head: 2, n_embd: 64, n_ctx: 32 }
          pretrain: { steps: 20, batch_size: 8, lr: 3.0e-3, warmup_steps: 5 }
        target: { task: conflicting_facts, count: 8 }
        suites: [target]
        train: { steps: 150, batch_size: 8, warmup_steps: 10, checkpoint_every: 125 }
        grid:
          method: [ { type: full } ]
          lr: [3.0e-3, 1.0e-6]
        eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
        search: { kind: halving, rungs: [125], keep: 1 }
        """;

    /// <summary>The runs of <see cref="HalvingStop"/>: the one that learns, then the one that does not.</summary>
    public static readonly string[] HalvingStopRuns = ["full-lr3e-3-steps150-seed3", "full-lr1e-6-steps150-seed3"];

    /// <summary>A tiny reward fine-tuning run: GRPO, a correctness and a length reward, a small β, checkpoints every two steps.</summary>
    public static string Rl(string name, int steps = 4) => $$"""
        name: {{name}}
        seed: 3
        base:
          world: builtin
          {{TinyBase}}
        target: { task: conflicting_facts, count: 6 }
        suites: [target, capitals_recall]
        train:
          steps: {{steps}}
          batch_size: 4
          warmup_steps: 0
          checkpoint_every: 2
          rl:
            algorithm: grpo
            num_generations: 2
            max_completion_length: 4
            measure_prompts: 4
            beta: 0.04
            rewards:
              - { kind: correctness }
              - { kind: length, target_tokens: 2, weight: 0.5 }
        grid:
          method: [ { type: full } ]
          lr: [1.0e-3]
        eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
        """;
}
