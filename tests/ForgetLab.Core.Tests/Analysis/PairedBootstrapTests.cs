using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class PairedBootstrapTests
{
    private static readonly double[] Base = Enumerable.Range(0, 200).Select(i => 2.0 + (i % 13) * 0.1).ToArray();

    /// <summary>Checkpoint = base + 0.5 ± 1 alternating, so the true mean difference is exactly 0.5.</summary>
    private static readonly double[] Shifted = Base.Select((v, i) => v + 0.5 + (i % 2 == 0 ? 1.0 : -1.0)).ToArray();

    [Fact]
    public void SameSeedGivesTheSameResult()
    {
        var first = PairedBootstrap.Run(Base, Shifted, seed: 42);
        var second = PairedBootstrap.Run(Base, Shifted, seed: 42);
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeedsResampleDifferently()
    {
        // Irregular differences, so resampled means do not sit on a coarse lattice.
        var irregular = Base.Select((v, i) => v + 0.3 + Math.Sin(i * 1.7)).ToArray();
        var first = PairedBootstrap.Run(Base, irregular, seed: 1);
        var second = PairedBootstrap.Run(Base, irregular, seed: 2);
        Assert.NotEqual(first.Ci95, second.Ci95);
        Assert.Equal(first.MeanDifference, second.MeanDifference);
    }

    [Fact]
    public void IntervalContainsTheConstructedMeanDifferenceAndExcludesZero()
    {
        var result = PairedBootstrap.Run(Base, Shifted, seed: 7);
        Assert.Equal(0.5, result.MeanDifference, 12);
        Assert.True(result.Ci95.Contains(0.5), $"CI {result.Ci95} misses 0.5");
        Assert.False(result.Ci95.Contains(0.0), $"CI {result.Ci95} contains 0");
        // sd of the mean = 1/sqrt(200) ≈ 0.0707, so the 95% half-width is ≈ 0.139.
        Assert.InRange(result.Ci95.High - result.Ci95.Low, 0.22, 0.34);
        Assert.Equal(1.0 / (PairedBootstrap.DefaultResamples + 1), result.PValue);
    }

    [Fact]
    public void IdenticalOutcomesGivePOfOneAndAZeroInterval()
    {
        var result = PairedBootstrap.Run(Base, Base, seed: 3);
        Assert.Equal(0.0, result.MeanDifference);
        Assert.Equal(new ConfidenceInterval(0, 0), result.Ci95);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void SymmetricNoiseAroundZeroIsNotSignificant()
    {
        var noisy = Base.Select((v, i) => v + (i % 2 == 0 ? 1.0 : -1.0)).ToArray();
        var result = PairedBootstrap.Run(Base, noisy, seed: 5);
        Assert.True(result.Ci95.Contains(0.0));
        Assert.True(result.PValue > 0.5, $"p = {result.PValue}");
    }

    [Fact]
    public void IntervalCoversTheTrueMeanAboutNinetyFivePercentOfTheTime()
    {
        // 300 data sets of 60 paired items with normal differences of mean 0.3, sd 1.
        var generator = new Random(2024);
        var covered = 0;
        const int dataSets = 300;
        for (var s = 0; s < dataSets; s++)
        {
            var baseline = new double[60];
            var checkpoint = new double[60];
            for (var i = 0; i < 60; i++)
            {
                baseline[i] = 3.0 + generator.NextDouble();
                checkpoint[i] = baseline[i] + 0.3 + Gaussian(generator);
            }

            covered += PairedBootstrap.Run(baseline, checkpoint, seed: s, resamples: 1000).Ci95.Contains(0.3) ? 1 : 0;
        }

        // Percentile intervals run slightly narrow at n = 60; a broken interval lands far outside.
        Assert.InRange((double)covered / dataSets, 0.89, 0.99);
    }

    [Fact]
    public void PairsOfDifferentLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Run([1.0, 2.0], [1.0], seed: 0));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
