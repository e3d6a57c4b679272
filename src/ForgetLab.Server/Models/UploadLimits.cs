using ForgetLab.Core.Models;
using ForgetLab.Server.Uploads;

namespace ForgetLab.Server.Models;

/// <summary>
/// The bounds a model upload is read within (<see cref="ArchiveLimits"/>: the request body 1 GiB, 64 entries, a 1 MiB
/// directory, all model files together 1 GiB + 64 MiB expanded, an expansion ratio of 50 — real weights compress about
/// 1.1×; only runs of zeros reach it), plus each model file's own bound; each file is decompressed a block at a time into
/// Blob storage, counted as it expands.
/// </summary>
public sealed record UploadLimits : ArchiveLimits
{
    public UploadLimits()
    {
        MaxUploadBytes = 1L << 30;
        MaxExpandedBytes = (1L << 30) + (64L << 20);
        MaxExpansionRatio = 50;
    }

    public override string Upload => "a model folder";

    public override string Files => "model";

    /// <summary>model.safetensors, or one shard, expanded: 1 GiB.</summary>
    public long MaxWeightsBytes { get; init; } = 1L << 30;

    /// <summary>config.json (and model.safetensors.index.json) expanded: 1 MiB.</summary>
    public long MaxConfigBytes { get; init; } = 1L << 20;

    /// <summary>vocab.json and the tokenizer's small JSON files expanded: 16 MiB (GPT-2's vocab.json is 1 MB).</summary>
    public long MaxVocabBytes { get; init; } = 16L << 20;

    /// <summary>tokenizer.json or tokenizer.model expanded: 32 MiB (Qwen2's tokenizer.json is 11 MB, Llama-3's 9 MB).</summary>
    public long MaxTokenizerBytes { get; init; } = 32L << 20;

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
