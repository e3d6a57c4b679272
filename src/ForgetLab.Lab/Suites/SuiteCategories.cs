namespace ForgetLab.Lab.Suites;

/// <summary>The capability categories a suite can belong to (see DESIGN.md, "What is measured").</summary>
public static class SuiteCategories
{
    public const string Target = "target";
    public const string Knowledge = "knowledge";
    public const string Skill = "skill";
    public const string Language = "language";
    public const string Unrelated = "unrelated";

    /// <summary>Facts a target deliberately changes: reported apart, never counted as collateral forgetting.</summary>
    public const string Overwritten = "overwritten";

    public static readonly IReadOnlyList<string> All = [Target, Knowledge, Skill, Language, Unrelated, Overwritten];
}
