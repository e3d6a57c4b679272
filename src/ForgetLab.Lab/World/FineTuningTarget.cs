using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.World;

/// <summary>
/// A fine-tuning target of the built-in world: the examples it trains on, the suite that
/// measures whether it was learned, and — for conflicting facts — the suite of the original facts
/// it overwrites and the countries it changed (which the retention suites then leave out).
/// </summary>
public sealed record FineTuningTarget(
    string Name,
    IReadOnlyList<PromptCompletion> Pairs,
    SuiteDefinition TargetSuite,
    SuiteDefinition? OverwrittenSuite,
    IReadOnlySet<string> ChangedCountries);
