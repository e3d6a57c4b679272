namespace ForgetLab.Core.Specs;

/// <summary>An allowed range for a real-valued field, with the message a user sees when outside it.</summary>
internal sealed record NumberRange(double Min, bool MinInclusive, double Max, bool MaxInclusive, string Message)
{
    /// <summary>Learning rates: (0, 1].</summary>
    public static NumberRange LearningRate { get; } = new(0, false, 1, true, "must be greater than 0 and at most 1");

    /// <summary>Dropout: [0, 1).</summary>
    public static NumberRange Probability { get; } = new(0, true, 1, false, "must be at least 0 and less than 1");

    public static NumberRange Positive { get; } = new(0, false, double.MaxValue, true, "must be greater than 0");

    public static NumberRange Between(double min, double max) =>
        new(min, true, max, true, FormattableString.Invariant($"must be between {min} and {max}"));

    public string? Check(double value)
    {
        var aboveMin = MinInclusive ? value >= Min : value > Min;
        var belowMax = MaxInclusive ? value <= Max : value < Max;
        return aboveMin && belowMax ? null : Message;
    }
}
