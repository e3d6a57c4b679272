namespace ForgetLab.Core.Specs;

/// <summary>
/// How a spec names and reads one method: its YAML <see cref="Name"/>, the settings fields it
/// accepts beside <c>type</c>, <c>name</c> and <c>lr</c>, and its reader. <see cref="ShortForm"/> is
/// the method the one-word form (<c>- lora</c>) means, or null when the method has required settings
/// (then <see cref="ShortFormError"/> says what to write).
/// </summary>
internal readonly record struct MethodKind(
    string Name,
    IReadOnlyList<string> Fields,
    Func<YamlFields, SpecErrorList, MethodSpec?> Read,
    Func<MethodSpec>? ShortForm,
    string? ShortFormError = null);
