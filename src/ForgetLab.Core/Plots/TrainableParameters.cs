using System.Globalization;
using System.Text.RegularExpressions;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Plots;

/// <summary>
/// LoRA's trainable parameter count, from what a report carries: the run's rank and target modules
/// and the base's shape in its model name (<c>builtin-gpt2-{layers}x{width}</c>). Each GPT-2 block has
/// attn.c_attn (C→3C), attn.c_proj (C→C), mlp.c_fc (C→4C) and mlp.c_proj (4C→C); LoRA adds
/// rank·(in + out) per targeted layer. A target name matches a path equal to it or ending in "." + it.
/// </summary>
public static partial class TrainableParameters
{
    public static long? OfLora(RunReport run, string baseModel)
    {
        if (!run.Hyperparameters.TryGetValue("lora_rank", out var rankText)
            || !run.Hyperparameters.TryGetValue("lora_target_modules", out var modulesText)
            || ModelShape().Match(baseModel) is not { Success: true } shape)
            return null;
        var rank = long.Parse(rankText, CultureInfo.InvariantCulture);
        var layers = long.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture);
        var c = long.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture);
        (string Path, long In, long Out)[] linear = [("attn.c_attn", c, 3 * c), ("attn.c_proj", c, c), ("mlp.c_fc", c, 4 * c), ("mlp.c_proj", 4 * c, c)];
        var targets = modulesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var perBlock = linear.Where(l => targets.Any(t => l.Path == t || l.Path.EndsWith("." + t, StringComparison.Ordinal)))
            .Sum(l => rank * (l.In + l.Out));
        return layers * perBlock;
    }

    // Only a GPT-2 base's name: the block layout below is GPT-2's.
    [GeneratedRegex(@"-gpt2-(\d+)x(\d+)$")]
    private static partial Regex ModelShape();
}
