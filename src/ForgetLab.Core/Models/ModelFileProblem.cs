namespace ForgetLab.Core.Models;

/// <summary>
/// One thing wrong with a model folder: <see cref="Where"/> is the file, or the file and the field
/// (<c>config.json.hidden_size</c>, <c>model.safetensors[lm_head.weight]</c>), so the server can answer a
/// 400 at that path and the CLI and the lab can say the same.
/// </summary>
public sealed record ModelFileProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}
