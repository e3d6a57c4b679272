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

    public static DatasetLimits Default { get; } = new();
}
