using TorchSharp;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// Gradient checkpointing of one decoder layer, as PyTorch's <c>torch.utils.checkpoint</c> with
/// <c>use_reentrant=True</c> does it (TorchSharp has no checkpoint of its own): the forward runs without
/// building a graph and keeps only the layer's input; backward runs the layer again with a graph, under the
/// same random-number state and autocast dtype as the first time, and back-propagates the incoming gradient
/// through it, which accumulates the layer's parameter gradients and yields the input's. Memory: one tensor per
/// layer instead of every activation; time: one more forward per layer.
/// </summary>
internal sealed class LayerCheckpoint : autograd.SingleTensorFunction<LayerCheckpoint>
{
    public override string Name => nameof(LayerCheckpoint);

    /// <summary>The layer's output; its gradient reaches <paramref name="x"/> and the layer's parameters.</summary>
    public static Tensor Run(DecoderLayer layer, Tensor x)
    {
        // A frozen embedding gives an input without grad; the layer's own parameters still need one through it.
        if (!x.requires_grad) x = x.detach().requires_grad_(true);
        return apply(x, layer);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        ctx.save_data("layer", vars[1]);
        using (var rng = random.get_rng_state()) ctx.save_data("rng", rng.data<byte>().ToArray());   // the CPU generator's state, for dropout
        ctx.save_data("autocast", Autocast.Dtype);
        return ((DecoderLayer)vars[1]).forward(x);   // grad is off here: nothing inside the layer is kept
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var x = ctx.get_saved_variables()[0];
        var layer = (DecoderLayer)ctx.get_data("layer");
        using var rng = tensor((byte[])ctx.get_data("rng"));
        using var now = random.get_rng_state();
        random.set_rng_state(rng);
        var input = x.detach().requires_grad_(true);
        using (enable_grad())
        using (Autocast.Enter((ScalarType?)ctx.get_data("autocast")))
        {
            var y = layer.forward(input);
            autograd.backward([y], [gradOutput]);
        }
        random.set_rng_state(now);
        return [input.grad!, null!];
    }
}
