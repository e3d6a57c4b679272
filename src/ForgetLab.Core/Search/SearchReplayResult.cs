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

    /// <summary>
    /// Device seconds of the full grid: every checkpoint's <see cref="Reports.CheckpointReport.TrainingSeconds"/> and
    /// <see cref="Reports.CheckpointReport.EvaluationSeconds"/>; null when a checkpoint of the report has no timing.
    /// </summary>
    public double? FullDeviceSeconds { get; init; }

    /// <summary>The same for the searched grid: a stopped run's checkpoints up to the rung it was stopped at.</summary>
    public double? SearchedDeviceSeconds { get; init; }

    /// <summary>Share of the full grid's run-steps the search did not train.</summary>
    public double SavedShare => FullRunSteps == 0 ? 0 : 1 - (double)SearchedRunSteps / FullRunSteps;
}
