using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>A small valid spec, one field per line so tests can break one line and know its number.</summary>
internal static class SpecText
{
    public const string Source = "spec.yaml";

    public const string Valid = """
        name: t
        seed: 1
        base:
          world: builtin
          model:
            n_layer: 2
            n_head: 2
            n_embd: 32
            n_ctx: 32
            dropout: 0.0
          pretrain:
            steps: 10
            lr: 1.0e-3
            warmup_steps: 2
        target:
          task: conflicting_facts
          count: 5
        suites: [target, capitals_recall]
        train:
          steps: 20
          lr: 1.0e-4
          warmup_steps: 2
          schedule: cosine
          checkpoint_every: 10
        grid:
          method:
            - { type: full }
            - type: lora
              rank: 4
              alpha: 8
          lr: [1.0e-4, 3.0e-4]
          steps: [20]
          seed: [1]
        eval:
          max_items: 10
          batch_size: 8

        """;

    /// <summary>The valid spec with one piece of text (which must occur exactly once) replaced.</summary>
    /// <summary>The lines of <see cref="Valid"/> from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public static string Section(string from, string to) => Valid[Valid.IndexOf(from, StringComparison.Ordinal)..Valid.IndexOf(to, StringComparison.Ordinal)];

    public static string With(string find, string replace)
    {
        var at = Valid.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && Valid.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur once");
        return string.Concat(Valid.AsSpan(0, at), replace, Valid.AsSpan(at + find.Length));
    }

    public static LabSpec Parse(string yaml, string? baseDirectory = null) =>
        SpecLoader.Parse(yaml, Source, baseDirectory ?? Path.GetTempPath());

    /// <summary>The errors a spec is rejected with, as users see them.</summary>
    public static IReadOnlyList<string> Errors(string yaml, string? baseDirectory = null)
    {
        var e = Assert.Throws<SpecValidationException>(() => Parse(yaml, baseDirectory));
        return e.Errors.Select(error => error.ToString()).ToList();
    }
}
