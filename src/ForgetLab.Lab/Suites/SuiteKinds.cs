namespace ForgetLab.Lab.Suites;

/// <summary>The scoring kinds, named as lm-evaluation-harness names its output types.</summary>
public static class SuiteKinds
{
    public const string MultipleChoice = "multiple_choice";
    public const string GenerateUntil = "generate_until";
    public const string LoglikelihoodRolling = "loglikelihood_rolling";
    public const string KlToBase = "kl_to_base";

    /// <summary>
    /// lm-eval's <c>loglikelihood</c> request scored by its <c>acc</c>: 1 when greedy decoding gives exactly the
    /// item's continuation after its prompt (<c>is_greedy</c>), else 0. The held-out target suite of a data target
    /// is of this kind; suite files do not declare it (they use lm-eval task files for it).
    /// </summary>
    public const string Loglikelihood = "loglikelihood";

    public static readonly IReadOnlyList<string> All = [MultipleChoice, GenerateUntil, LoglikelihoodRolling, KlToBase];

    /// <summary>The metric a kind reports unless a suite says otherwise.</summary>
    public static string DefaultMetric(string kind) => kind switch
    {
        MultipleChoice => "acc",
        GenerateUntil => "exact_match",
        LoglikelihoodRolling => "nats_per_token",
        KlToBase => "kl",
        Loglikelihood => "acc",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown suite kind; expected one of {string.Join(", ", All)}."),
    };
}
