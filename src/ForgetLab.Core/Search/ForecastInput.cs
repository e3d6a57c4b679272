namespace ForgetLab.Core.Search;

/// <summary>What a forgetting forecast is fitted on: the step alone, or how far the model has moved from its base.</summary>
public enum ForecastInput
{
    /// <summary>forgetting = a + b·ln(step) (<see cref="ForgettingForecast.Fit"/>).</summary>
    Step,

    /// <summary>The checkpoint's mean relative parameter drift ‖θ−θ₀‖/‖θ₀‖ over its layer groups (<c>CheckpointReport.Drift</c>).</summary>
    Drift,

    /// <summary>The checkpoint's mean token KL to the base on text (the <c>kl_to_base</c> suite's score, nats).</summary>
    KlToBase,
}
