using ForgetLab.Contracts.Common;

namespace ForgetLab.Server.Uploads;

/// <summary>
/// The bounds every upload of a folder of files is read within, whatever it holds, so that what the server keeps stays the
/// same whatever the input: the body is spooled to a temporary file of at most <see cref="MaxUploadBytes"/>, a zip's
/// directory is counted and bounded before it is parsed (<see cref="Models.ZipDirectory"/>), and each file is decompressed
/// a block at a time, counted as it expands, in all and against its compressed size (<see cref="ExpansionProblem"/>).
/// A model folder (<see cref="Models.UploadLimits"/>) and a data set (<see cref="Datasets.DatasetLimits"/>) are uploads
/// of this kind, each with its own values and its own bounds per file.
/// </summary>
public abstract record ArchiveLimits
{
    /// <summary>The request body (the zip, a data set's one JSONL file, or the multipart form holding either).</summary>
    public long MaxUploadBytes { get; init; }

    /// <summary>Entries in the zip, counted from its end-of-directory record before the directory is read: 64.</summary>
    public int MaxEntries { get; init; } = 64;

    /// <summary>The zip's central directory: 1 MiB (64 entries with long names fit many times over).</summary>
    public long MaxDirectoryBytes { get; init; } = 1L << 20;

    /// <summary>All the upload's files together, expanded.</summary>
    public long MaxExpandedBytes { get; init; }

    /// <summary>
    /// How many times its compressed size an entry may expand to, checked on the bytes actually decompressed so far (the
    /// zip header's sizes are claims).
    /// </summary>
    public int MaxExpansionRatio { get; init; }

    /// <summary>The first bytes of an entry the ratio is not applied to (a tiny file of zeros is no bomb): 1 MiB.</summary>
    public long RatioGraceBytes { get; init; } = 1L << 20;

    /// <summary>What one upload is, as errors name it: "a model folder", "a data set".</summary>
    public abstract string Upload { get; }

    /// <summary>What its files are, as errors name them: "model", "data".</summary>
    public abstract string Files { get; }

    /// <summary>
    /// Null while a file being expanded is within the bounds of the whole upload: <paramref name="expandedInAll"/> bytes of
    /// all its files so far, <paramref name="length"/> of this one against the <paramref name="packed"/> bytes the zip
    /// reader may read for it (null when it is not compressed); else the problem that stops the upload.
    /// </summary>
    public FieldError? ExpansionProblem(string file, long length, long expandedInAll, long? packed) =>
        expandedInAll > MaxExpandedBytes ? new FieldError(0, "", $"the {Files} files expand to more than {MaxExpandedBytes} bytes in all")
        : packed is { } p && length > RatioGraceBytes && length > Math.Max(p, 1) * MaxExpansionRatio
            ? new FieldError(0, file, $"expands to more than {MaxExpansionRatio} times its {p} compressed bytes: a zip bomb, or not a {Files} file")
        : null;
}
