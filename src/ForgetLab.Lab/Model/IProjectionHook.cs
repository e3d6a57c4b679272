using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A fine-tuning method's part on one <see cref="Projection"/>: it may change the input the base
/// weights see and the output they give, and says which weight the layer then effectively applies.
/// The method registers its own tensors under the layer (<c>lora_A</c>, <c>ia3_l</c>), so their
/// state-dict names are PEFT's; the layer itself knows no method.
/// </summary>
public interface IProjectionHook
{
    /// <param name="x">the input the base weights will see, (N, in)</param>
    Tensor Input(Tensor x) => x;

    /// <param name="x">the layer's input as it arrived, (N, in)</param>
    /// <param name="y">the output so far, (N, out)</param>
    Tensor Output(Tensor x, Tensor y) => y;

    /// <summary>The weight the layer computes with, given the weight so far in the layer's stored orientation.</summary>
    /// <param name="differentiable">true: keep the graph (a penalty on it reaches the method's tensors); false: detached values.</param>
    Tensor Weight(Projection layer, Tensor weight, bool differentiable) => weight;

    /// <summary>The bias the layer computes with, given the bias so far (detached).</summary>
    Tensor Bias(Projection layer, Tensor bias) => bias;
}
