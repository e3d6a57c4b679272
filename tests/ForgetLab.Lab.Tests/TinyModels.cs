using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Training;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests;

/// <summary>Tiny seeded models and data so engine tests run in well under a second each on CPU.</summary>
internal static class TinyModels
{
    public static GptConfig Config => new() { VocabSize = 40, NPositions = 16, NEmbd = 32, NLayer = 2, NHead = 4 };

    public static GptModel Create(int seed = 1)
    {
        random.manual_seed(seed);
        return new GptModel(Config);
    }

    public static Tensor Tokens(int seed = 2, int batch = 3, int length = 12)
    {
        random.manual_seed(seed);
        return randint(1, Config.VocabSize, [batch, length]);
    }

    /// <summary>Documents of a made-up language: short counting sequences the model can learn quickly.</summary>
    public static IReadOnlyList<int[]> Documents() =>
        Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, 5).Select(k => 2 + (i + k) % 30).ToArray()).ToList();

    public static TrainSettings Settings(int steps = 12, double lr = 1e-2, int checkpointEvery = 4) =>
        new(steps, BatchSize: 4, lr, WarmupSteps: 2, ScheduleKind.Cosine, WeightDecay: 0.01, GradClip: 1.0, checkpointEvery, Seed: 7);

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "forgetlab-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

internal static class TensorAssert
{
    /// <summary>True when both tensors have the same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
