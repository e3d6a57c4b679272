namespace ForgetLab.Contracts.Runs;

/// <summary>
/// The run's forecast forgetting (points) at its last step, <see cref="AtStep"/>, with a 95% prediction interval, fitted on
/// the <see cref="Checkpoints"/> checkpoints evaluated so far by <see cref="Model"/> (<c>Core/Search/ForgettingForecast</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ForecastView")]
public sealed record ForecastView(
    [property: Id(0)] long AtStep,
    [property: Id(1)] double Estimate,
    [property: Id(2)] double Low,
    [property: Id(3)] double High,
    [property: Id(4)] int Checkpoints,
    [property: Id(5)] string Model);
