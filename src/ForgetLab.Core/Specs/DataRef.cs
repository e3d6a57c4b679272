namespace ForgetLab.Core.Specs;

/// <summary>
/// A data file a spec names from the tenant's data set registry on the platform: <c>{ data_ref: NAME, file: F }</c> in
/// place of a path (<c>target.data</c>, <c>target.eval_data</c>, <c>train.{replay,distill,ewc}.corpus</c>,
/// <c>base.pretrain.corpus</c>). <see cref="File"/> may be left out when the data set holds one file.
/// </summary>
/// <param name="Field">The spec field it stands at (<c>target.data</c>), where a refusal is reported.</param>
/// <param name="Line">The spec line of <c>data_ref</c>.</param>
public sealed record DataRef(string Field, int Line, string Name, string? File)
{
    /// <summary>How the report and errors name it: <c>data_ref:NAME</c> or <c>data_ref:NAME/FILE</c>.</summary>
    public string Typed => File is null ? $"data_ref:{Name}" : $"data_ref:{Name}/{File}";

    /// <summary>Whether a data set file name is one a registry holds: a plain name ending in <c>.jsonl</c>, no folder.</summary>
    public static bool IsFileName(string? name) =>
        name is { Length: > 6 and <= 128 } && name.EndsWith(".jsonl", StringComparison.Ordinal) && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && !name.Contains("..", StringComparison.Ordinal);
}
