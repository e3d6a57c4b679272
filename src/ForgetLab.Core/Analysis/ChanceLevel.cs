namespace ForgetLab.Core.Analysis;

/// <summary>
/// Chance level per scoring kind, as a fraction: what a model that knows nothing scores.
/// </summary>
public static class ChanceLevel
{
    /// <summary>Exact-match generation: a guess essentially never matches the reference string.</summary>
    public const double ExactMatch = 0.0;

    /// <summary>Multiple choice with <paramref name="choices"/> options: a uniform guess is right 1/k of the time.</summary>
    public static double MultipleChoice(int choices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(choices, 2);
        return 1.0 / choices;
    }

    /// <summary>
    /// Multiple choice where items have different numbers of options: the expected accuracy of
    /// a uniform guess is the mean of 1/kᵢ.
    /// </summary>
    public static double MultipleChoice(IReadOnlyList<int> choicesPerItem)
    {
        ArgumentNullException.ThrowIfNull(choicesPerItem);
        ArgumentOutOfRangeException.ThrowIfZero(choicesPerItem.Count, nameof(choicesPerItem));
        return choicesPerItem.Average(k => MultipleChoice(k));
    }
}
