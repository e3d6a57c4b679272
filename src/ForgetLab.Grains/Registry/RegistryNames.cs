using System.Text.RegularExpressions;

namespace ForgetLab.Grains.Registry;

/// <summary>The one rule a registered name follows, for models and data sets alike (it becomes part of a blob path).</summary>
public static partial class RegistryNames
{
    public const string Rule = "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
