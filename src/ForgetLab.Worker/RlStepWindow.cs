using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Jobs;

namespace ForgetLab.Worker;

/// <summary>
/// Reward fine-tuning's step measures between two progress reports. The worker reports progress every few seconds, not every
/// step, so each report carries the means over the steps it heard since the previous one (<see cref="Take"/>) rather than
/// whichever step's batch came last: a single batch's reward is noisy, and no step is left out of the curve.
/// </summary>
public sealed class RlStepWindow
{
    private int _steps;
    private double _reward, _length, _beta;
    private (double Sum, int N) _kl, _entropy;
    private readonly SortedDictionary<string, (double Sum, int N)> _components = new(StringComparer.Ordinal);

    public int Steps => _steps;

    /// <summary>Adds one step's measures (values that are not finite are left out of their means).</summary>
    public void Add(JobRlStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps++;
        _reward += step.Reward;
        _length += step.CompletionLength;
        _beta = step.Beta;
        if (step.Kl is { } kl && double.IsFinite(kl)) _kl = (_kl.Sum + kl, _kl.N + 1);
        if (step.Entropy is { } entropy && double.IsFinite(entropy)) _entropy = (_entropy.Sum + entropy, _entropy.N + 1);
        foreach (var (name, value) in step.Components)
        {
            if (!double.IsFinite(value)) continue;
            var (sum, n) = _components.GetValueOrDefault(name);
            _components[name] = (sum + value, n + 1);
        }
    }

    /// <summary>The means since the last point, as the point at <paramref name="step"/>, and an empty window; null when no step was heard.</summary>
    public RlStepPoint? Take(long step)
    {
        if (_steps == 0) return null;
        var point = new RlStepPoint(step, _steps, _reward / _steps,
            [.. _components.Select(c => new RewardComponentMean(c.Key, c.Value.Sum / c.Value.N))],
            _kl.N > 0 ? _kl.Sum / _kl.N : null, _entropy.N > 0 ? _entropy.Sum / _entropy.N : null, _length / _steps, _beta);
        (_steps, _reward, _length, _kl, _entropy) = (0, 0, 0, default, default);
        _components.Clear();
        return point;
    }
}
