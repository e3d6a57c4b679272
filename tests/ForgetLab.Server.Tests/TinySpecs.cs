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
