using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// What a regulariser may be built from, captured before the first step: the model (the method
/// already applied), its trainable parameters, the general text (one seeded stream per use) and the
/// run's batch size and seed. θ₀ (<see cref="Anchors"/>) is captured once, on first use, and shared
/// by the penalties that need it; whatever the terms hold (θ₀, a Fisher, a teacher) is disposed with the context.
/// </summary>
public sealed class RegularizerContext(CausalLanguageModel model, IReadOnlyList<Parameter> trainable, Func<ulong, IBatchSource> general, int batchSize, int seed) : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private AnchoredWeights? anchors;

    public CausalLanguageModel Model => model;

    public int BatchSize => batchSize;

    public int Seed => seed;

    /// <summary>The weights at the start of fine-tuning (θ₀), captured on first use.</summary>
    public AnchoredWeights Anchors => anchors ??= Own(AnchoredWeights.Capture(model, trainable));

    /// <summary>General (pre-training) text, from its own seeded stream (2: the Fisher, 3: distillation).</summary>
    public IBatchSource General(ulong stream) => general(stream);

    /// <summary>Keeps <paramref name="value"/> until the context is disposed.</summary>
    public T Own<T>(T value) where T : IDisposable
    {
        owned.Add(value);
        return value;
    }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
    }
}
