using ForgetLab.Core.Jobs;

namespace ForgetLab.Worker.Tests;

public class RlStepWindowTests
{
    private static JobRlStep Step(double reward, double format, double? kl, double? entropy, double length, double beta) =>
        new(reward, new Dictionary<string, double> { ["correct"] = 0, ["format"] = format }, kl, entropy, length, beta);

    [Fact]
    public void AReportCarriesTheMeansOfTheStepsSinceThePreviousOneAndStartsAFreshWindow()
    {
        var window = new RlStepWindow();
        Assert.Null(window.Take(1));   // nothing heard: a supervised run's report carries no point

        window.Add(Step(0.2, 0.2, 1.0, 3.0, 10, 0.04));
        window.Add(Step(0.4, 0.4, null, 2.0, 14, 0.05));   // no KL at this step: left out of the KL's mean, not counted as 0
        window.Add(Step(0.6, 0.6, 2.0, double.NaN, 12, 0.06));
        var point = window.Take(3)!;

        Assert.Equal((3L, 3), (point.Step, point.Steps));
        Assert.Equal(0.4, point.Reward, 12);
        Assert.Equal(["correct", "format"], point.Components.Select(c => c.Name));
        Assert.Equal(0.4, point.Components[1].Mean, 12);
        Assert.Equal(1.5, point.KlToReference!.Value, 12);
        Assert.Equal(2.5, point.Entropy!.Value, 12);
        Assert.Equal(12, point.ResponseLength, 12);
        Assert.Equal(0.06, point.Beta);   // β at the point's step

        Assert.Null(window.Take(4));
        window.Add(Step(1.0, 1.0, null, null, 8, 0));
        var next = window.Take(5)!;
        Assert.Equal((5L, 1, 1.0, (double?)null, (double?)null), (next.Step, next.Steps, next.Reward, next.KlToReference, next.Entropy));
    }
}
