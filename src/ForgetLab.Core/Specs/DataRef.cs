namespace ForgetLab.Core.Specs;

/// <summary>
/// A data file a spec names from the tenant's data set registry on the platform: <c>{ data_ref: NAME, file: F }</c> in
/// place of a path (<c>target.data</c>, <c>target.eval_data</c>, <c>train.{replay,distill,ewc}.corpus</c>,
/// <c>base.pretrain.corpus</c>), or a suite header a data set holds in place of a suite file (<c>suites[i]</c>: a
/// ForgetLab suite or an lm-eval task YAML, its items beside it). <see cref="File"/> may be left out when the data set
/// holds one file of the kind the field takes.
/// </summary>
/// <param name="Field">The spec field it stands at (<c>target.data</c>), where a refusal is reported.</param>
/// <param name="Line">The spec line of <c>data_ref</c>.</param>
public sealed record DataRef(string Field, int Line, string Name, string? File)
{
    /// <summary>How the report and errors name it: <c>data_ref:NAME</c> or <c>data_ref:NAME/FILE</c>.</summary>
    public string Typed => File is null ? $"data_ref:{Name}" : $"data_ref:{Name}/{File}";

    /// <summary>Whether this names a suite (a <c>suites[i]</c> entry) rather than a data file.</summary>
    public bool IsSuite => Field.StartsWith("suites[", StringComparison.Ordinal);

    /// <summary>Whether a data set file name is one a registry holds: a plain name ending in <c>.jsonl</c> (data, or a suite's items), <c>.csv</c> (an lm-eval task's items) or <c>.yaml</c>/<c>.yml</c> (a suite header), no folder.</summary>
    public static bool IsFileName(string? name) =>
        name is { Length: > 4 and <= 128 } && (IsDataFile(name) || IsSuiteFile(name) || IsCsvFile(name)) && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>A JSONL file: fine-tuning data or a corpus, or the items a suite header names.</summary>
    public static bool IsDataFile(string name) => name.EndsWith(".jsonl", StringComparison.Ordinal);

    /// <summary>A CSV file: only ever the items of an lm-evaluation-harness task with <c>dataset_path: csv</c>.</summary>
    public static bool IsCsvFile(string name) => name.EndsWith(".csv", StringComparison.Ordinal);

    /// <summary>A suite header: a ForgetLab suite or an lm-evaluation-harness task file.</summary>
    public static bool IsSuiteFile(string name) => name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal);
}
