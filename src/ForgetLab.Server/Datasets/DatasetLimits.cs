using ForgetLab.Server.Uploads;

namespace ForgetLab.Server.Datasets;

/// <summary>
/// The bounds a data set upload is read within (<see cref="ArchiveLimits"/>: the request body 256 MiB, 64 entries, a 1 MiB
/// directory, all files together 512 MiB expanded, an expansion ratio of 200 — JSONL text compresses 3-10×), plus each
/// file's own bounds: each file is decompressed to a temporary file counted as it expands, then checked line by line (one
/// line in memory at a time) as the lab checks it.
/// </summary>
public sealed record DatasetLimits : ArchiveLimits
{
    public DatasetLimits()
    {
        MaxUploadBytes = 256L << 20;
        MaxExpandedBytes = 512L << 20;
        MaxExpansionRatio = 200;
    }

    public override string Upload => "a data set";

    public override string Files => "data";

    /// <summary>One file (JSONL or CSV) expanded: 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>One line of a JSONL file, or row of a CSV file: 8 MiB (the longest the server keeps in memory while checking).</summary>
    public int MaxLineBytes { get; init; } = 8 << 20;

    /// <summary>A suite header (<c>.yaml</c>), read whole to be checked: 256 KiB (a spec's own bound).</summary>
    public long MaxSuiteHeaderBytes { get; init; } = Core.Specs.SpecLimits.MaxChars;

    /// <summary>A tokenizer file (<c>.json</c>), read whole to be loaded as the lab loads it: 32 MiB, a model upload's bound (Qwen2's tokenizer.json is 11 MB).</summary>
    public long MaxTokenizerBytes { get; init; } = 32L << 20;

    /// <summary>The <c>tokenizer_config.json</c> beside the tokenizer files, read whole: 16 MiB, a model upload's bound for the tokenizer's small JSON files.</summary>
    public long MaxTokenizerConfigBytes { get; init; } = 16L << 20;

    /// <summary>A chat template (<c>.jinja</c>), read whole to be parsed: 1 MiB (the parser's own bound is 256 Ki characters; real templates are a few KiB).</summary>
    public long MaxChatTemplateBytes { get; init; } = Core.ChatTemplates.ChatTemplateLimits.Default.MaxTemplateChars * 4L;

    public static DatasetLimits Default { get; } = new();
}
