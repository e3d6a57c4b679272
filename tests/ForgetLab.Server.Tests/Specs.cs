namespace ForgetLab.Server.Tests;

/// <summary>A small valid lab spec (two runs: full and LoRA) and helpers to break it.</summary>
internal static class Specs
{
    public static string Valid(string name) => $$"""
        name: {{name}}
        seed: 1
        base:
          world: builtin
          model: { n_layer: 2, n_head: 2, n_embd: 64, n_ctx: 64, dropout: 0.0 }
          pretrain: { steps: 100, batch_size: 8, lr: 1.0e-3, warmup_steps: 10 }
        target:
          task: conflicting_facts
          count: 10
        suites: [target, capitals_recall]
        train:
          steps: 50
          batch_size: 8
          lr: 1.0e-4
          warmup_steps: 5
          schedule: cosine
          checkpoint_every: 25
        grid:
          method:
            - { type: full }
            - { type: lora, rank: 8, alpha: 16 }
          seed: [1]
        """.Replace("\r\n", "\n") + "\n";

    /// <summary>The run names <see cref="Valid"/> expands into.</summary>
    public static readonly string[] RunNames = ["full-lr1e-4-steps50-seed1", "lora-r8-lr1e-4-steps50-seed1"];

    /// <summary>1-based line of the first line containing <paramref name="text"/>.</summary>
    public static int LineOf(string spec, string text)
    {
        var index = spec.IndexOf(text, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{text}' is not in the spec");
        return spec[..index].Count(c => c == '\n') + 1;
    }
}
