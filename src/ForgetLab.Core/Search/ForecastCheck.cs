namespace ForgetLab.Core.Search;

/// <summary>A run's forecast fitted on all checkpoints but its last, and the forgetting its last checkpoint measured.</summary>
public sealed record ForecastCheck(string Run, ForgettingForecast Forecast, double Actual)
{
    public bool Inside => Actual >= Forecast.Low && Actual <= Forecast.High;

    public double Error => Forecast.Estimate - Actual;
}
