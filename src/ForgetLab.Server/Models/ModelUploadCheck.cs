using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// Checks an uploaded model folder before it is registered, without loading it, by Core's
/// <see cref="ModelFolderCheck"/> (the rules the lab loads a folder by: config, single or sharded
/// safetensors, dtypes, tensor shapes, tokenizer against vocab_size), within the upload's limits.
/// Every problem is a <see cref="FieldError"/> at its file and field, so the API answers a 400 there.
/// </summary>
public static class ModelUploadCheck
{
    /// <summary>Whole files in memory (an experiment's base, tests): the same check.</summary>
    public static (ModelArchitecture? Architecture, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) Check(IReadOnlyDictionary<string, byte[]> files) =>
        Check(files.ToDictionary(f => f.Key, f => ModelFileContent.Whole(f.Key, f.Value)), UploadLimits.Default);

    /// <summary>The architecture and the files' hashes, or every problem found.</summary>
    public static (ModelArchitecture? Architecture, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) Check(
        IReadOnlyDictionary<string, ModelFileContent> files, UploadLimits limits)
    {
        var heads = files.ToDictionary(f => f.Key, f => new ModelFileHead(f.Value.Length, f.Value.Head), StringComparer.Ordinal);
        var (summary, problems) = ModelFolderCheck.Check(heads, limits.Safetensors);
        if (summary is null) return (null, [], [.. problems.Select(p => new FieldError(0, p.Where, p.Message))]);
        var hashed = files.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new ModelFile(f.Name, f.Length, f.Sha256)).ToImmutableArray();
        return (ModelArchitecture.Of(summary), hashed, []);
    }

    /// <summary>
    /// A PEFT LoRA adapter's files checked against the registered base <paramref name="baseModel"/> (Core's
    /// <see cref="PeftAdapterCheck"/>, on the shape the registry recorded of the base's config): the adapter's record and its
    /// files' hashes, or every problem at its file and field.
    /// </summary>
    public static (AdapterInfo? Adapter, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) CheckAdapter(
        IReadOnlyDictionary<string, ModelFileContent> files, ModelRecord baseModel, UploadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        if (baseModel.Architecture.Shape() is not { } shape)
            return (null, [], [new FieldError(0, "base", $"model '{baseModel.Name}' was registered before the registry kept its architecture's full shape; register it again to check adapters against it")]);
        var heads = files.ToDictionary(f => f.Key, f => new ModelFileHead(f.Value.Length, f.Value.Head), StringComparer.Ordinal);
        var (summary, problems) = PeftAdapterCheck.Check(heads, shape, baseModel.Name, limits.Safetensors);
        if (summary is null) return (null, [], [.. problems.Select(p => new FieldError(0, p.Where, p.Message))]);
        var hashed = files.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new ModelFile(f.Name, f.Length, f.Sha256)).ToImmutableArray();
        return (AdapterInfo.Of(baseModel.Name, summary), hashed, []);
    }

    /// <summary>
    /// A safetensors header on its own, as soon as it has streamed in: the problems it has, and the
    /// file's length it implies (8 + header + the tensors' bytes), beyond which the file cannot go.
    /// </summary>
    public static (long? ExpectedLength, ImmutableArray<FieldError> Errors) CheckWeightsHeader(ReadOnlySpan<byte> head, string file, UploadLimits limits)
    {
        var problems = new List<ModelFileProblem>();
        var (_, dataBytes) = SafetensorsHeader.Read(head, fileLength: null, file, limits.Safetensors, problems);
        return problems.Count > 0
            ? (null, [.. problems.Select(p => new FieldError(0, p.Where, p.Message))])
            : (8 + (long)SafetensorsHeader.ClaimedLength(head) + dataBytes, []);
    }
}
