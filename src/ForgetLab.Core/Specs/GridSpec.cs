namespace ForgetLab.Core.Specs;

/// <summary>
/// The recipes to run: the cartesian product of the axes (method × lr × steps × seed), except that
/// a method with its own lr is not crossed with the lr axis. An axis left out (null) takes its
/// single value from <see cref="TrainSpec"/> (lr, steps) or <see cref="LabSpec.Seed"/>.
/// New axes (replay fraction, EWC λ, ...) are added as further nullable lists.
/// </summary>
public sealed record GridSpec
{
    /// <summary>Methods to compare. Default: full fine-tuning only. Never empty.</summary>
    public IReadOnlyList<MethodSpec> Methods { get; init; } = [MethodSpec.Full];

    /// <summary>Learning rates; null means train.lr.</summary>
    public IReadOnlyList<double>? Lr { get; init; }

    /// <summary>Step counts; null means train.steps.</summary>
    public IReadOnlyList<int>? Steps { get; init; }

    /// <summary>Fine-tuning seeds; null means the spec's seed.</summary>
    public IReadOnlyList<int>? Seeds { get; init; }
}
