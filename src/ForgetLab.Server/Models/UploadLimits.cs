using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// The bounds a model upload is read within, so that what the server holds stays the same whatever
/// the input: the upload is spooled to a temporary file of at most <see cref="MaxUploadBytes"/>, its zip
/// directory is checked before it is parsed, and each model file is decompressed a block at a time
/// into Blob storage, counted as it expands.
/// </summary>
public sealed record UploadLimits
{
    /// <summary>The request body (the zip, or the multipart form holding it): 1 GiB.</summary>
    public long MaxUploadBytes { get; init; } = 1L << 30;

    /// <summary>Entries in the zip, counted from its end-of-directory record before the directory is read: 64.</summary>
    public int MaxEntries { get; init; } = 64;

    /// <summary>The zip's central directory: 1 MiB (64 entries with long names fit many times over).</summary>
    public long MaxDirectoryBytes { get; init; } = 1L << 20;

    /// <summary>model.safetensors, or one shard, expanded: 1 GiB.</summary>
    public long MaxWeightsBytes { get; init; } = 1L << 30;

    /// <summary>config.json (and model.safetensors.index.json) expanded: 1 MiB.</summary>
    public long MaxConfigBytes { get; init; } = 1L << 20;

    /// <summary>vocab.json and the tokenizer's small JSON files expanded: 16 MiB (GPT-2's vocab.json is 1 MB).</summary>
    public long MaxVocabBytes { get; init; } = 16L << 20;

    /// <summary>tokenizer.json or tokenizer.model expanded: 32 MiB (Qwen2's tokenizer.json is 11 MB, Llama-3's 9 MB).</summary>
    public long MaxTokenizerBytes { get; init; } = 32L << 20;

    /// <summary>All model files together, expanded: 1 GiB + 64 MiB.</summary>
    public long MaxExpandedBytes { get; init; } = (1L << 30) + (64L << 20);

    /// <summary>
    /// How many times its compressed size an entry may expand to, checked on the bytes actually
    /// decompressed so far (the header's sizes are claims): 50. Real weights compress about 1.1×;
    /// only runs of zeros reach this.
    /// </summary>
    public int MaxExpansionRatio { get; init; } = 50;

    /// <summary>The first bytes of an entry the ratio is not applied to (a tiny file of zeros is no bomb): 1 MiB.</summary>
    public long RatioGraceBytes { get; init; } = 1L << 20;

    /// <summary>The safetensors JSON header, as the safetensors library caps it: 100,000,000 bytes.</summary>
    public long MaxSafetensorsHeaderBytes { get; init; } = 100_000_000;

    /// <summary>Nesting of config.json, the index, the tokenizer files and the safetensors header: 32.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    public static UploadLimits Default { get; } = new();

    /// <summary>The safetensors header and JSON bounds, as Core's folder check takes them.</summary>
    public SafetensorsLimits Safetensors => new(MaxSafetensorsHeaderBytes, MaxJsonDepth);

    /// <summary>The most a model file of this name may expand to.</summary>
    public long MaxBytes(string file) => file switch
    {
        _ when ModelFiles.IsSafetensors(file) => MaxWeightsBytes,
        ModelFiles.ConfigFile or ModelFiles.WeightsIndexFile => MaxConfigBytes,
        "tokenizer.json" or "tokenizer.model" => MaxTokenizerBytes,
        _ => MaxVocabBytes,
    };
}
