using System.Diagnostics;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Benchmarks;

/// <summary>
/// Result of a training-throughput measurement; <paramref name="OptimizerMsPerStep"/> is AdamW's step alone, and
/// <paramref name="Loss"/> the last step's (the same seeded tokens every run, so two builds' numerics compare on it);
/// <paramref name="Malloc"/> the process's allocator mode (<see cref="Training.TensorAllocator.Mode"/>).
/// </summary>
public sealed record TrainingBenchmarkResult(
    string Method, string Dtype, long Parameters, int Steps, double Seconds, double TokensPerSecond, int Threads, double OptimizerMsPerStep, double Loss, string Malloc);

/// <summary>
/// Training throughput of the reference model (STACK.md: vocab 512, d 256, 4 layers, 4 heads, context 128,
/// batch 16) on random tokens: full fine-tuning and LoRA r=8, in float32 or under bfloat16 autocast (the
/// forward and loss as <see cref="Training.Trainer"/> runs them). Warm-up steps are excluded from the timing;
/// the optimizer step is also timed on its own (TorchSharp's AdamW is a loop over parameters in C#).
/// </summary>
public static class TrainingBenchmark
{
    public static GptConfig ReferenceConfig => new() { VocabSize = 512, NPositions = 128, NEmbd = 256, NLayer = 4, NHead = 4 };

    /// <param name="mmapThresholdBytes">
    /// The mmap threshold to pin for this process (by default the lab's, so the figure is what a lab run trains at), or null
    /// to leave glibc's dynamic threshold on.
    /// </param>
    public static TrainingBenchmarkResult Run(bool lora, int steps = 30, int warmup = 5, int batchSize = 16, int? threads = null, ComputeDtype dtype = ComputeDtype.Float32,
        int? mmapThresholdBytes = Training.TensorAllocator.LabMmapThresholdBytes)
    {
        if (mmapThresholdBytes is { } bytes) Training.TensorAllocator.Pin(bytes);
        if (threads is { } t) set_num_threads(t);
        random.manual_seed(0);
        var config = ReferenceConfig;
        using var model = new GptModel(config);
        IReadOnlyList<TorchSharp.Modules.Parameter> trainable = lora
            ? new Peft.LoraSettings(8, 16, 0, ["c_attn", "c_proj", "c_fc"]).Apply(model)
            : model.parameters().ToList();
        using var optimizer = optim.AdamW(trainable, lr: 1e-4, weight_decay: 0.01);
        var compute = Autocast.Of(dtype);
        model.train();
        var clock = new Stopwatch();
        var optimizerTicks = 0L;
        var last = 0.0;
        for (var step = 0; step < warmup + steps; step++)
        {
            if (step == warmup) clock.Start();
            using var scope = NewDisposeScope();
            var input = randint(0, config.VocabSize, [batchSize, config.NPositions]);
            var target = randint(0, config.VocabSize, [batchSize, config.NPositions]);
            optimizer.zero_grad();
            Tensor loss;
            using (Autocast.Enter(compute))
            {
                var logits = model.forward(input);
                loss = nn.functional.cross_entropy(logits.view(-1, config.VocabSize), target.view(-1));
            }
            loss.backward();
            nn.utils.clip_grad_norm_(trainable, 1.0);
            var before = Stopwatch.GetTimestamp();
            optimizer.step();
            if (step >= warmup) optimizerTicks += Stopwatch.GetTimestamp() - before;
            if (step == warmup + steps - 1) last = loss.item<float>();
        }
        clock.Stop();
        var tokens = (double)steps * batchSize * config.NPositions;
        var parameters = model.parameters().Sum(p => p.numel());
        return new TrainingBenchmarkResult(lora ? "lora-r8" : "full", SpecNames.Of(dtype), parameters, steps, clock.Elapsed.TotalSeconds,
            tokens / clock.Elapsed.TotalSeconds, get_num_threads(), optimizerTicks * 1000.0 / Stopwatch.Frequency / steps, last,
            Training.TensorAllocator.Mode);
    }
}
