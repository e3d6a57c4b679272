using ForgetLab.Server.Models;

namespace ForgetLab.Server.Datasets;

/// <summary>
/// The bounds a data set upload is read within, so what the server holds stays the same whatever the input: the body is
/// spooled to a temporary file, a zip's directory is checked before it is parsed, each JSONL file is decompressed to a
/// temporary file counted as it expands, then checked line by line (one line in memory at a time) as the lab checks it.
/// </summary>
public sealed record DatasetLimits
{
    /// <summary>The request body (a JSONL file, a zip, or the form holding either): 256 MiB.</summary>
    public long MaxUploadBytes { get; init; } = 256L << 20;

    /// <summary>Entries in a zip, counted before its directory is read: 64.</summary>
    public int MaxEntries { get; init; } = 64;

    /// <summary>A zip's central directory: 1 MiB.</summary>
    public long MaxDirectoryBytes { get; init; } = 1L << 20;

    /// <summary>One JSONL file expanded: 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>All files of a data set together, expanded: 512 MiB.</summary>
    public long MaxExpandedBytes { get; init; } = 512L << 20;

    /// <summary>One line of a JSONL file: 8 MiB (the longest line the server keeps in memory while checking).</summary>
    public int MaxLineBytes { get; init; } = 8 << 20;

    /// <summary>A suite header (<c>.yaml</c>), read whole to be checked: 256 KiB (a spec's own bound).</summary>
    public long MaxSuiteHeaderBytes { get; init; } = Core.Specs.SpecLimits.MaxChars;

    /// <summary>How many times its compressed size an entry may expand to, on the bytes decompressed so far: 200 (JSONL text compresses 3-10×).</summary>
    public int MaxExpansionRatio { get; init; } = 200;

    /// <summary>The first bytes of an entry the ratio is not applied to: 1 MiB.</summary>
    public long RatioGraceBytes { get; init; } = 1L << 20;

    public static DatasetLimits Default { get; } = new();

    /// <summary>The zip directory's bounds as <see cref="ZipDirectory"/> takes them.</summary>
    public UploadLimits Zip => UploadLimits.Default with { MaxUploadBytes = MaxUploadBytes, MaxEntries = MaxEntries, MaxDirectoryBytes = MaxDirectoryBytes };
}
