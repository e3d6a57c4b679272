namespace ForgetLab.Core.Specs;

/// <summary>
/// A data file a spec names from the tenant's data set registry on the platform: <c>{ data_ref: NAME, file: F }</c> in
/// place of a path (<c>target.data</c>, <c>target.eval_data</c>, <c>train.{replay,distill,ewc}.corpus</c>,
/// <c>base.pretrain.corpus</c>), a suite header a data set holds in place of a suite file (<c>suites[i]</c>: a
/// ForgetLab suite or an lm-eval task YAML, its items beside it), a <c>tokenizer.json</c> in place of
/// <c>base.tokenizer.path</c>, or a <c>.jinja</c> chat template in place of <c>target.chat_template</c>.
/// <see cref="File"/> may be left out when the data set holds one file of the kind the field takes.
/// </summary>
/// <param name="Field">The spec field it stands at (<c>target.data</c>), where a refusal is reported.</param>
/// <param name="Line">The spec line of <c>data_ref</c>.</param>
public sealed record DataRef(string Field, int Line, string Name, string? File)
{
    /// <summary>How the report and errors name it: <c>data_ref:NAME</c> or <c>data_ref:NAME/FILE</c>.</summary>
    public string Typed => File is null ? $"data_ref:{Name}" : $"data_ref:{Name}/{File}";

    /// <summary>Whether this names a suite (a <c>suites[i]</c> entry) rather than a data file.</summary>
    public bool IsSuite => Kind == DataRefKind.Suite;

    /// <summary>The kind of file the field takes, told by the field it stands at.</summary>
    public DataRefKind Kind => KindOf(Field);

    public static DataRefKind KindOf(string field) =>
        field.StartsWith("suites[", StringComparison.Ordinal) ? DataRefKind.Suite
        : field == TokenizerField ? DataRefKind.Tokenizer
        : field == ChatTemplateField ? DataRefKind.ChatTemplate
        : DataRefKind.Data;

    /// <summary>The spec field of an existing tokenizer file (<c>base.tokenizer</c> of <c>kind: file</c>).</summary>
    public const string TokenizerField = "base.tokenizer.path";

    /// <summary>The spec field of a fine-tuning set's chat template file.</summary>
    public const string ChatTemplateField = "target.chat_template";

    /// <summary>
    /// Whether a data set file name is one a registry holds: a plain name (no folder) ending in <c>.jsonl</c> (data, or a
    /// suite's items), <c>.csv</c> (an lm-eval task's items), <c>.yaml</c>/<c>.yml</c> (a suite header), <c>_yaml</c> (an
    /// lm-eval include-only file such as <c>_default_template_yaml</c>), <c>.json</c> (a <c>tokenizer.json</c>, or the
    /// <c>tokenizer_config.json</c> beside it) or <c>.jinja</c> (a chat template). It starts with a letter, a digit or
    /// '_' (lm-eval's include-only files do), never '.'.
    /// </summary>
    public static bool IsFileName(string? name) =>
        name is { Length: > 4 and <= 128 }
        && (IsDataFile(name) || IsSuiteFile(name) || IsCsvFile(name) || IsIncludeOnlyFile(name) || IsJsonFile(name) || IsChatTemplateFile(name))
        && (char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>
    /// An lm-evaluation-harness file named <c>…_yaml</c> (no dot): lm-eval collects only <c>*.yaml</c> files as tasks, so such
    /// a file is read only as another task's <c>include:</c> (MMLU's <c>_default_template_yaml</c>).
    /// </summary>
    public static bool IsIncludeOnlyFile(string name) => name.EndsWith("_yaml", StringComparison.Ordinal);

    /// <summary>A JSON file: a Hugging Face <c>tokenizer.json</c>, or the <see cref="TokenizerConfigFile"/> beside it.</summary>
    public static bool IsJsonFile(string name) => name.EndsWith(".json", StringComparison.Ordinal);

    /// <summary>A tokenizer file a spec may name: any <c>.json</c> file but the tokenizer's config.</summary>
    public static bool IsTokenizerFile(string name) => IsJsonFile(name) && name != TokenizerConfigFile;

    /// <summary>The config that goes with every tokenizer file of the same folder, as the lab reads a <c>tokenizer.path</c>'s folder.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>A Jinja chat template, as <c>target.chat_template</c> names it.</summary>
    public static bool IsChatTemplateFile(string name) => name.EndsWith(".jinja", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a file a field of <paramref name="kind"/> may name.</summary>
    public static bool IsFileOfKind(string name, DataRefKind kind) => kind switch
    {
        DataRefKind.Suite => IsSuiteFile(name),
        DataRefKind.Tokenizer => IsTokenizerFile(name),
        DataRefKind.ChatTemplate => IsChatTemplateFile(name),
        _ => IsDataFile(name),
    };

    /// <summary>How errors name the files of a kind.</summary>
    public static string KindName(DataRefKind kind) => kind switch
    {
        DataRefKind.Suite => "suite header (.yaml)",
        DataRefKind.Tokenizer => "tokenizer file (.json)",
        DataRefKind.ChatTemplate => "chat template (.jinja)",
        _ => "data file (.jsonl)",
    };

    /// <summary>A JSONL file: fine-tuning data or a corpus, or the items a suite header names.</summary>
    public static bool IsDataFile(string name) => name.EndsWith(".jsonl", StringComparison.Ordinal);

    /// <summary>A CSV file: only ever the items of an lm-evaluation-harness task with <c>dataset_path: csv</c>.</summary>
    public static bool IsCsvFile(string name) => name.EndsWith(".csv", StringComparison.Ordinal);

    /// <summary>A suite header: a ForgetLab suite or an lm-evaluation-harness task file.</summary>
    public static bool IsSuiteFile(string name) => name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal);
}
