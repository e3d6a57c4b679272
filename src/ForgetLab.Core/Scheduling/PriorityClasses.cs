namespace ForgetLab.Core.Scheduling;

/// <summary>The names of <see cref="PriorityClass"/> as submissions, the API and metrics spell them.</summary>
public static class PriorityClasses
{
    private static readonly string[] Spellings = ["low", "normal", "high"];

    public static IReadOnlyList<string> Names => Spellings;

    public static string Name(PriorityClass priorityClass) => Names[(int)priorityClass];

    /// <summary>Exact, lower-case names only, so one class has one spelling everywhere.</summary>
    public static bool TryParse(string? name, out PriorityClass priorityClass)
    {
        var index = name is null ? -1 : Array.IndexOf(Spellings, name);
        priorityClass = index < 0 ? PriorityClass.Normal : (PriorityClass)index;
        return index >= 0;
    }
}
