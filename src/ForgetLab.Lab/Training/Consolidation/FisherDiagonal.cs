using ForgetLab.Lab.Model;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// The diagonal of the empirical Fisher information of the base's own weights, estimated on
/// pre-training batches: F = (1/N) Σₙ (∇θ Lₙ)², where Lₙ is the mean next-token cross-entropy of
/// batch n at the current (base) weights. Keyed by state-dict name (<c>transformer.h.0.attn.c_attn.weight</c>).
/// </summary>
public sealed class FisherDiagonal : IDisposable
{
    private readonly Dictionary<string, Tensor> values;

    private FisherDiagonal(Dictionary<string, Tensor> values) => this.values = values;

    public IReadOnlyDictionary<string, Tensor> Values => values;

    /// <summary>
    /// Estimates F on <paramref name="batches"/> batches drawn from <paramref name="pretraining"/>.
    /// Call it on the base before training (adapters attached at their zero start do not change it);
    /// adapter parameters get no entry. The model's requires_grad flags and mode are restored.
    /// </summary>
    public static FisherDiagonal Estimate(CausalLanguageModel model, IBatchSource pretraining, int batches, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        var parameters = model.named_parameters().Where(p => model.IsBaseKey(p.name)).ToList();
        var flags = parameters.Select(p => p.parameter.requires_grad).ToList();
        var wasTraining = model.training;
        var sums = parameters.ToDictionary(p => p.name, p => zeros_like(p.parameter).DetachFromDisposeScope());
        try
        {
            model.eval();
            foreach (var (_, p) in parameters) p.requires_grad = true;
            for (var n = 0; n < batches; n++)
            {
                using var scope = NewDisposeScope();
                model.zero_grad();
                var (input, target, _) = pretraining.Next(batchSize);
                var logits = model.forward(input);                                         // (B, T, V)
                var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), target.view(-1), ignore_index: BatchRows.IgnoreIndex);
                loss.backward();
                using var _ = no_grad();
                foreach (var (name, p) in parameters)
                    if (p.grad is { } g) sums[name].add_(g.square());
            }

            foreach (var sum in sums.Values) sum.div_(batches);
            return new FisherDiagonal(sums);
        }
        finally
        {
            model.zero_grad();
            for (var i = 0; i < parameters.Count; i++) parameters[i].parameter.requires_grad = flags[i];
            model.train(wasTraining);
        }
    }

    /// <summary>A Fisher given directly (tests, or one loaded from disk).</summary>
    public static FisherDiagonal Of(IReadOnlyDictionary<string, Tensor> values) => new(values.ToDictionary(kv => kv.Key, kv => kv.Value));

    public void Dispose()
    {
        foreach (var v in values.Values) v.Dispose();
    }
}
