namespace ForgetLab.Lab.Peft;

/// <summary>
/// A LoRA adapter's shape: rank r, scaling alpha/r (or alpha/√r with rsLoRA), dropout on the adapter's
/// input, and which Conv1D layers get one (PEFT's target_modules rule: a name equal to the layer path or to a dotted tail of it).
/// </summary>
public sealed record LoraSettings(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules, bool UseRsLora = false) : PeftSettings
{
    public override string Method => "lora";

    public override bool Owns(string key) => key.Contains(".lora_", StringComparison.Ordinal);

    /// <summary>PEFT's matching rule: a layer matches a module name equal to its path or to a dotted tail of it.</summary>
    public bool Targets(string layerPath) =>
        TargetModules.Any(m => layerPath == m || layerPath.EndsWith("." + m, StringComparison.Ordinal));

    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;
}
