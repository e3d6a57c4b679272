using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;

namespace ForgetLab.Lab.Tests.Training.Consolidation;

public class ConsolidationPlanTests
{
    private static readonly IReadOnlyList<MaskedExample> Examples =
        Enumerable.Range(0, 5).Select(i => MaskedExample.OfCompletion([35 + i, 36], [37, 38 + i % 2])).ToList();

    private static MaskedExampleBatches FineTuning() => new(Examples, 0, 1, 1);

    [Fact]
    public void NothingIsAddedWhenNoConsolidationIsOn()
    {
        using var model = TinyModels.Create();
        var data = FineTuning();

        using var plan = ConsolidationPlan.Build(new TrainSpec(), model, model.parameters().ToList(), data, TinyModels.Documents(), DocumentFraming.SeparatorFirst(0), 1);

        Assert.Same(data, plan.Data);
        Assert.Null(plan.ExtraLoss);
        Assert.Null(plan.EarlyStopping);
    }

    [Fact]
    public void EveryConsolidationIsBuiltFromTheTrainSettingsAndTheRunTrainsWithThem()
    {
        using var model = TinyModels.Create();
        var train = new TrainSpec
        {
            BatchSize = 4,
            Replay = new ReplaySpec { Ratio = 0.5 },
            Ewc = new EwcSpec { Lambda = 10, FisherBatches = 2 },
            L2Sp = new L2SpSpec { Alpha = 0.1 },
            Distill = new DistillSpec { Beta = 1, Temperature = 2 },
            EarlyStopping = new EarlyStoppingSpec { Suite = "capitals_recall", MaxDropPoints = 5 },
        };
        var trainable = model.parameters().ToList();

        using var plan = ConsolidationPlan.Build(train, model, trainable, FineTuning(), TinyModels.Documents(), DocumentFraming.SeparatorFirst(0), 1);

        Assert.IsType<ReplayBatches>(plan.Data);
        Assert.NotNull(plan.Ewc);
        Assert.NotNull(plan.L2Sp);
        Assert.NotNull(plan.Distillation);
        Assert.Equal(5, plan.EarlyStopping!.MaxDropPoints);
        Assert.Equal(0f, plan.ExtraLoss!().item<float>(), 1e-6f); // every term is zero at the base
        var outcome = new Trainer(model, trainable, null, plan.Data, TinyModels.Settings(steps: 4)) { ExtraLoss = plan.ExtraLoss }.Run(null);
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.True(plan.ExtraLoss!().item<float>() > 0, "after training the penalties see the moved weights");
    }

    [Fact]
    public void ReplayDrawsFromTheUsersCorpusWhenOneIsGiven()
    {
        using var model = TinyModels.Create();
        var train = new TrainSpec { BatchSize = 4, Replay = new ReplaySpec { Ratio = 0.5 } };
        IReadOnlyList<int[]> corpus = [[30, 31, 32, 33, 34]];   // ids the world's documents (2..31 counting runs) mostly lack

        using var plan = ConsolidationPlan.Build(train, model, model.parameters().ToList(), FineTuning(), TinyModels.Documents(), DocumentFraming.SeparatorFirst(0), 1,
            new ConsolidationCorpora(corpus, null, null));

        var (input, _, _) = plan.Data.Next(4);
        var replayRows = input[2..].data<long>().ToArray();      // the last round(0.5 · 4) rows are replay
        Assert.All(replayRows, id => Assert.Contains(id, new long[] { 0, 30, 31, 32, 33, 34 }));
        Assert.Contains(34L, replayRows);
    }
}
