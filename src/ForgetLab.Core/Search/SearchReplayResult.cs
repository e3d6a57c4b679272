namespace ForgetLab.Core.Search;

/// <summary>The replay's outcome: who was stopped where, run-steps with and without the search, both fronts, the forecasts' checks.</summary>
public sealed record SearchReplayResult(
    IReadOnlyList<Domination> Stopped,
    long FullRunSteps,
    long SearchedRunSteps,
    IReadOnlyList<string> FullFront,
    IReadOnlyList<string> SearchedFront,
    IReadOnlyList<ForecastCheck> Forecasts)
{
    public bool SameFront => FullFront.Order(StringComparer.Ordinal).SequenceEqual(SearchedFront.Order(StringComparer.Ordinal));

    /// <summary>Share of the full grid's run-steps the search did not train.</summary>
    public double SavedShare => FullRunSteps == 0 ? 0 : 1 - (double)SearchedRunSteps / FullRunSteps;
}
