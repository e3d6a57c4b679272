namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>Python's view of document values: equality (<c>1 == 1.0 == True</c>) and the type names errors use.</summary>
internal static class LmEvalValues
{
    public static bool PythonEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (long or double or bool, long or double or bool) => Number(a) == Number(b),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => PythonEqual(p.First, p.Second)),
        (OrderedDictionary<string, object?> x, OrderedDictionary<string, object?> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && PythonEqual(kv.Value, other)),
        _ => false,
    };

    private static double Number(object? v) => v switch
    {
        bool b => b ? 1 : 0,
        long n => n,
        double d => d,
        _ => double.NaN,
    };

    public static string TypeName(object? v) => v switch
    {
        null => "None",
        bool => "a boolean",
        long => "an integer",
        double => "a float",
        string => "a string",
        List<object?> => "a list",
        _ => "a dict",
    };
}
