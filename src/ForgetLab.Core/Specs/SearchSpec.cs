namespace ForgetLab.Core.Specs;

/// <summary>
/// A forgetting-aware search over the grid (<c>search: { kind: halving, rungs: [...], keep: N }</c>): at each rung
/// step, once every run has evaluated its checkpoint there or ended (a run that gets there first waits), the runs another
/// run Pareto-dominates on (target gain, forgetting) with a significant difference are stopped early
/// (<c>Search/HalvingSearch</c>).
/// Without it (null on <see cref="LabSpec.Search"/>) every run trains to its end.
/// </summary>
public sealed record SearchSpec
{
    /// <summary>The only kind: successive halving on two objectives. Other kinds are refused.</summary>
    public const string Halving = "halving";

    public string Kind { get; init; } = Halving;

    /// <summary>Steps at which runs are compared: strictly ascending, each a checkpoint step of every run and below its last step.</summary>
    public IReadOnlyList<int> Rungs { get; init; } = [];

    /// <summary>
    /// A count, not a fraction: the fewest runs that go on past each rung (at least 1). A fraction would have to stop runs
    /// that nobody dominates significantly, which is exactly what the search refuses to do; the count only spares dominated
    /// runs when stopping all of them would leave fewer than this many.
    /// </summary>
    public int Keep { get; init; } = 1;
}
