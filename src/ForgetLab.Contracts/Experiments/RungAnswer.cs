using System.Collections.Immutable;

namespace ForgetLab.Contracts.Experiments;

/// <summary>
/// The search's answer to a scored checkpoint: the runs it stopped early by this call, and whether the run that scored it
/// now waits Paused at the rung (the worker then stops its job; the lease was given back to the pool).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RungAnswer")]
public sealed record RungAnswer(
    [property: Id(0)] ImmutableArray<string> Stopped,
    [property: Id(1)] bool Paused)
{
    public static RungAnswer None { get; } = new([], false);
}
