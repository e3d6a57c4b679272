using System.Globalization;

namespace ForgetLab.Grains.Tests;

/// <summary>Spec texts for submissions: a small valid lab spec whose grid has as many runs as asked.</summary>
internal static class Specs
{
    /// <summary>The world base <see cref="Valid"/> pre-trains unless told otherwise: a few hundred MiB to fine-tune.</summary>
    public const string SmallModel = "{ n_layer: 2, n_head: 2, n_embd: 64, n_ctx: 64, dropout: 0.0 }";

    /// <summary>A world base far larger than any device (about 51 billion parameters): its runs' estimates are terabytes.</summary>
    public const string HugeModel = "{ n_layer: 64, n_head: 64, n_embd: 8192, n_ctx: 4096, dropout: 0.0 }";

    /// <summary>A valid spec named <paramref name="name"/> with <paramref name="runs"/> runs (one per seed).</summary>
    public static string Valid(string name, int runs = 1, string model = SmallModel)
    {
        var seeds = string.Join(", ", Enumerable.Range(1, runs).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return $$"""
            name: {{name}}
            seed: 1
            base:
              world: builtin
              model: {{model}}
              pretrain: { steps: 100, batch_size: 8, lr: 1.0e-3, warmup_steps: 10, weight_decay: 0.01, grad_clip: 1.0 }
            target:
              task: conflicting_facts
              count: 10
            suites: [target, capitals_recall]
            train:
              steps: 50
              batch_size: 8
              lr: 1.0e-4
              warmup_steps: 5
              checkpoint_every: 25
            grid:
              method:
                - { type: full }
              seed: [{{seeds}}]
            """;
    }

    /// <summary>The run names <see cref="Valid"/> expands into.</summary>
    public static string RunName(int seed) => $"full-lr1e-4-steps50-seed{seed}";
}
