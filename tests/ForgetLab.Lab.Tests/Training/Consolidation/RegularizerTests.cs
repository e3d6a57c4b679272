using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Training.Consolidation;

public class RegularizerTests
{
    private static PackedTextBatches Pretraining(ulong seed = 3) =>
        new(TinyModels.Documents(), TinyModels.Config.NPositions, 0, seed);

    /// <summary>Moves every given parameter by small noise, as a few training steps would.</summary>
    private static void Perturb(IEnumerable<Parameter> parameters, int seed = 9)
    {
        random.manual_seed(seed);
        using var _ = no_grad();
        foreach (var p in parameters) p.add_(randn_like(p).mul_(0.01));
    }

    [Fact]
    public void L2SpIsZeroAtTheStartingWeights()
    {
        using var model = TinyModels.Create();
        using var anchors = AnchoredWeights.Capture(model, model.parameters().ToList());

        Assert.Equal(0f, new L2Sp(anchors, 0.5).Loss().item<float>());
    }

    [Fact]
    public void L2SpGradientIsAlphaTimesTheDisplacement()
    {
        using var model = TinyModels.Create();
        var parameters = model.parameters().ToList();
        using var anchors = AnchoredWeights.Capture(model, parameters);
        var start = parameters.Select(p => p.detach().clone()).ToList();
        Perturb(parameters);
        const double alpha = 0.7;

        var loss = new L2Sp(anchors, alpha).Loss();
        loss.backward();

        var expected = parameters.Select((p, i) => (p.detach() - start[i]).square().sum().item<float>()).Sum() * alpha / 2;
        Assert.Equal(expected, loss.item<float>(), expected * 1e-4);
        for (var i = 0; i < parameters.Count; i++)
            Assert.True(parameters[i].grad!.allclose((parameters[i].detach() - start[i]) * alpha, rtol: 1e-5, atol: 1e-8), $"parameter {i}");
    }

    [Fact]
    public void L2SpOnLoraPenalisesTheEffectiveWeightAndReachesTheAdapter()
    {
        using var model = TinyModels.Create();
        var settings = new LoraSettings(4, 8, 0, ["c_attn"]);
        var trainable = settings.Apply(model);
        using var anchors = AnchoredWeights.Capture(model, trainable);
        Assert.Equal(0f, new L2Sp(anchors, 1).Loss().item<float>());
        Assert.All(anchors.Weights, w => Assert.EndsWith("c_attn.weight", w.Name));

        Perturb(trainable);
        var loss = new L2Sp(anchors, 2).Loss();
        loss.backward();

        var expected = model.Projections().Where(l => l.Layer.IsAdapted)
            .Sum(l => (l.Layer.EffectiveWeight() - l.Layer.Weight.detach()).square().sum().item<float>());
        Assert.Equal(expected, loss.item<float>(), expected * 1e-4);
        Assert.All(trainable, p => Assert.True(p.grad!.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void FisherIsAMeanOfSquaredGradientsAndLeavesTheModelAsItWas()
    {
        using var model = TinyModels.Create();
        var trainable = new LoraSettings(2, 4, 0, ["c_fc"]).Apply(model);

        using var fisher = FisherDiagonal.Estimate(model, Pretraining(), batches: 3, batchSize: 4);

        Assert.DoesNotContain(fisher.Values.Keys, k => k.Contains(".lora_"));
        Assert.Contains("transformer.h.0.mlp.c_fc.weight", fisher.Values.Keys);
        Assert.All(fisher.Values.Values, f => Assert.True(f.min().item<float>() >= 0));
        Assert.True(fisher.Values["transformer.wte.weight"].sum().item<float>() > 0);
        Assert.All(model.named_parameters(), p => Assert.Equal(p.name.Contains(".lora_"), p.parameter.requires_grad));
        Assert.True(model.training);
        Assert.Equal(4, trainable.Count);
    }

    [Fact]
    public void EwcIsZeroAtTheBaseWeights()
    {
        using var model = TinyModels.Create();
        using var fisher = FisherDiagonal.Estimate(model, Pretraining(), 2, 4);
        using var anchors = AnchoredWeights.Capture(model, model.parameters().ToList());

        Assert.Equal(0f, new Ewc(anchors, fisher, 1000).Loss().item<float>());
    }

    [Fact]
    public void EwcGradientIsLambdaTimesFisherTimesTheDisplacement()
    {
        using var model = TinyModels.Create();
        using var fisher = FisherDiagonal.Estimate(model, Pretraining(), 2, 4);
        var named = model.named_parameters().ToList();
        using var anchors = AnchoredWeights.Capture(model, named.Select(p => p.parameter).ToList());
        var start = named.ToDictionary(p => p.name, p => p.parameter.detach().clone());
        Perturb(named.Select(p => p.parameter));
        const double lambda = 50;
        var ewc = new Ewc(anchors, fisher, lambda);

        ewc.Loss().backward();

        Assert.Equal(named.Count, ewc.Covered);
        foreach (var (name, p) in named)
        {
            var expected = fisher.Values[name] * (p.detach() - start[name]) * lambda;
            Assert.True(p.grad!.allclose(expected, rtol: 1e-4, atol: 1e-10), name);
        }
    }

    [Fact]
    public void DistillationOfTheBaseIntoItselfIsZero()
    {
        using var model = TinyModels.Create();
        using var teacher = Distillation.FrozenCopy(model);
        var distill = new Distillation(model, teacher, Pretraining(), 4, beta: 1, temperature: 2, seed: 5);

        Assert.Equal(0f, distill.Loss().item<float>(), 1e-6f);
        Assert.Equal(1UL, distill.BatchesDrawn);
        Assert.All(teacher.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void DistillationGradientIsBetaTimesTemperatureTimesTheProbabilityGap()
    {
        random.manual_seed(4);
        var student = randn(2, 3, 7).requires_grad_(true);
        var teacher = randn(2, 3, 7);
        var mask = tensor(new[] { true, true, false, true, false, true }).view(2, 3);
        const double beta = 0.5, t = 2;

        var loss = Distillation.Term(student, teacher, mask, beta, t);
        loss.backward();

        // d/dz_s of β·T²·mean KL(p_t ‖ p_s) = β·T·(p_s − p_t) / N on the masked positions.
        var expected = ((student.detach() / t).softmax(-1) - (teacher / t).softmax(-1)) * (beta * t / 4) * mask.unsqueeze(-1);
        Assert.True(student.grad!.allclose(expected, rtol: 1e-4, atol: 1e-7));
        var pt = (teacher / t).softmax(-1);
        var kl = (pt * (pt.log() - (student.detach() / t).log_softmax(-1))).sum(-1);
        Assert.Equal((kl * mask).sum().item<float>() / 4 * beta * t * t, loss.item<float>(), 1e-5f);
    }

    [Fact]
    public void DistillationDrawsTheSameBatchesAfterAResume()
    {
        using var model = TinyModels.Create();
        using var teacher = Distillation.FrozenCopy(model);
        Perturb(model.parameters());
        var first = new Distillation(model, teacher, Pretraining(), 4, 1, 1, seed: 5);
        var losses = Enumerable.Range(0, 3).Select(_ => first.Loss().item<float>()).ToList();

        var resumed = new Distillation(model, teacher, Pretraining(), 4, 1, 1, seed: 5) { BatchesDrawn = 2 };

        Assert.Equal(losses[2], resumed.Loss().item<float>());
    }
}
