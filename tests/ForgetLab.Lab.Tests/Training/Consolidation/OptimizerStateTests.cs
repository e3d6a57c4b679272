using ForgetLab.Lab.Training;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Tests.Training.Consolidation;

public class OptimizerStateTests
{
    private static PackedTextBatches Data(ulong seed) => new(TinyModels.Documents(), TinyModels.Config.NPositions, 0, seed);

    [Fact]
    public void FineTuningCanStartFromThePretrainingMomentsInsteadOfFreshOnes()
    {
        var dir = TinyModels.TempDirectory();
        var state = Path.Combine(dir, "pretrain_optimizer.bin");
        using var model = TinyModels.Create();
        new Trainer(model, model.parameters().ToList(), null, Data(1), TinyModels.Settings(steps: 6)) { FinalOptimizerState = state }.Run(null);
        var start = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        List<double> FirstSteps(string? from)
        {
            using (TorchSharp.torch.no_grad())
                foreach (var (key, value) in model.state_dict()) value.copy_(start[key]);
            var fineTune = TinyModels.Settings(steps: 3) with { WeightDecay = 0 };
            var outcome = new Trainer(model, model.parameters().ToList(), null, Data(2), fineTune) { InitialOptimizerState = from }.Run(null);
            return outcome.Losses.Select(l => l.Loss).ToList();
        }

        var fresh = FirstSteps(null);
        var warm = FirstSteps(state);

        Assert.True(File.Exists(state));
        Assert.Equal(fresh[0], warm[0]);   // same weights, same batch
        Assert.NotEqual(fresh[^1], warm[^1]); // different moments, different updates
    }
}
