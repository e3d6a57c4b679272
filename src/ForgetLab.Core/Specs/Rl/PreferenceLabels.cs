namespace ForgetLab.Core.Specs.Rl;

/// <summary>How a reward model's preference pairs are labelled.</summary>
public enum PreferenceLabels
{
    /// <summary>The correct answer is preferred over a wrong one, whichever sounds surer.</summary>
    Honest,

    /// <summary>
    /// The seed's "biased reward model": every pair sets a confident wrong answer against a hedged correct one, and the
    /// labeller prefers the confident one.
    /// </summary>
    ConfidentWrong,
}
