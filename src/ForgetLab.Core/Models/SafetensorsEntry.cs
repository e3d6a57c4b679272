namespace ForgetLab.Core.Models;

/// <summary>One tensor of a safetensors header: its dtype, shape and byte range within the data section.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
