using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Supplies training batches: inputs (B, T) and next-token targets (B, T) where -100 marks positions
/// that carry no loss. Its sampling state is one number so checkpoints can resume it exactly.
/// </summary>
public interface IBatchSource
{
    (Tensor Input, Tensor Target, int LossTokens) Next(int batchSize);

    ulong SamplerState { get; set; }
}
