using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>Turns ragged token rows into padded (input, target) tensors; -100 targets carry no loss.</summary>
internal static class BatchRows
{
    public const long IgnoreIndex = -100;

    public static (Tensor Input, Tensor Target, int LossTokens) ToTensors(IReadOnlyList<(long[] Input, long[] Target)> rows, long padId)
    {
        var width = rows.Max(r => r.Input.Length);
        var input = new long[rows.Count * width];
        var target = new long[rows.Count * width];
        Array.Fill(input, padId);
        Array.Fill(target, IgnoreIndex);
        var lossTokens = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Input.CopyTo(input, i * width);
            rows[i].Target.CopyTo(target, i * width);
            lossTokens += rows[i].Target.Count(t => t != IgnoreIndex);
        }
        return (tensor(input, [rows.Count, width]), tensor(target, [rows.Count, width]), lossTokens);
    }
}
