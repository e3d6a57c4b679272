using ForgetLab.Core.Specs;
using ForgetLab.Lab.Peft;

namespace ForgetLab.Lab.Evaluated;

/// <summary>
/// An <c>evaluate</c> entry whose folder was inspected and fits the base: where its files are, what they hold, the
/// method they were trained with (<c>full</c> for a model folder) and, for an adapter, the method that puts it on
/// the base. <see cref="Checkpoint"/> is true for a ForgetLab checkpoint folder (its manifest verified).
/// </summary>
public sealed record EvaluatedModel(EvaluateEntry Entry, string Folder, EvaluatedKind Kind, string Method, IPeftMethod? Peft, bool Checkpoint)
{
    /// <summary>How the report names what was evaluated (its <c>evaluated</c> hyperparameter).</summary>
    public string Description => (Kind switch
    {
        EvaluatedKind.ModelFolder => "model folder",
        EvaluatedKind.PeftAdapter => $"PEFT {Method} adapter",
        _ => $"ForgetLab {Method} adapter",
    }) + (Checkpoint ? " (ForgetLab checkpoint)" : "");

    /// <summary>SHA-256 over the files that make the model (a model folder's, or the adapter's two), in name order: which model this was.</summary>
    public string FilesHash()
    {
        if (Kind == EvaluatedKind.ModelFolder) return Model.ModelFolder.ContentHash(Folder);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var name in new[] { PeftAdapterFiles.ConfigFile, PeftAdapterFiles.WeightsFile })
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(Folder, name)));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
