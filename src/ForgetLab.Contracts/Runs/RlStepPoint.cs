using System.Collections.Immutable;

namespace ForgetLab.Contracts.Runs;

/// <summary>
/// Reward fine-tuning's training measures up to <see cref="Step"/>, as the worker reports them while the run trains: the
/// means, over the <see cref="Steps"/> steps it heard since its previous point, of the batch's reward and of each reward
/// component, of the KL to the reference (k1 summed over a completion's tokens, nats per completion; null without a
/// reference, as at β 0), of the policy's entropy at the sampling temperature (nats/token; null for DPO) and of the
/// completion length (tokens); and β at <see cref="Step"/>. A DPO run's reward is its preference accuracy.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RlStepPoint")]
public sealed record RlStepPoint(
    [property: Id(0)] long Step,
    [property: Id(1)] int Steps,
    [property: Id(2)] double Reward,
    [property: Id(3)] ImmutableArray<RewardComponentMean> Components,
    [property: Id(4)] double? KlToReference,
    [property: Id(5)] double? Entropy,
    [property: Id(6)] double ResponseLength,
    [property: Id(7)] double Beta);
