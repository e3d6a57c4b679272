namespace ForgetLab.Core.Analysis;

/// <summary>The gate of every suite of a report: one default (the spec's) and per-suite overrides by suite name.</summary>
public sealed record BaseGates(BaseGate Default, IReadOnlyDictionary<string, BaseGate> PerSuite)
{
    public static BaseGates Defaults { get; } = new(BaseGate.Default, new Dictionary<string, BaseGate>());

    public BaseGate For(string suite) => PerSuite.TryGetValue(suite, out var gate) ? gate : Default;
}
