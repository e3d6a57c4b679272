using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Model.Llama;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Benchmarks;

/// <summary>One phase of a run measured in its own process: resident memory before the model, the phase's peak, RSS at chosen steps, and Core's estimate.</summary>
public sealed record MemoryBenchmarkResult(
    string Model, string Phase, string Method, string Dtype, bool Checkpointing, int BatchSize, int SequenceLength, long Parameters,
    long RuntimeBytes, long PeakBytes, IReadOnlyList<MemorySample> ResidentAtSteps, MemoryEstimate Estimate);

/// <summary>
/// Peak resident memory of training (AdamW, as <see cref="Training.Trainer"/> steps) or evaluation (no_grad
/// forward and log-softmax, as <see cref="Evaluation.TorchLanguageModel"/> scores) on random tokens, for the
/// reference GPT-2 and a small Llama, set beside <see cref="MemoryEstimate"/>. Run one phase per process: the
/// peak is the process's high-water mark after the runtime and libtorch have loaded.
/// </summary>
public static class MemoryBenchmark
{
    public static IReadOnlyList<string> Models { get; } = ["gpt2-reference", "llama-small"];

    /// <summary>A small Llama-architecture model: vocabulary 2,000 (a SentencePiece world tokenizer's size), GQA 4/2, untied head.</summary>
    public static LlamaConfig SmallLlama => new()
    {
        VocabSize = 2000, HiddenSize = 256, IntermediateSize = 704, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        HeadDim = 64, MaxPositionEmbeddings = 128, RmsNormEps = 1e-5,
    };

    /// <param name="mmapThresholdBytes">
    /// The mmap threshold to pin (<see cref="Training.TensorAllocator.Pin"/>; by default the lab's), or null to leave glibc's
    /// dynamic threshold on (as a process that never calls <see cref="Training.TensorAllocator"/>).
    /// </param>
    public static MemoryBenchmarkResult Run(string model, bool training, bool lora, ComputeDtype dtype, bool checkpointing, int steps, int batchSize, IReadOnlyCollection<int> sampleSteps,
        int? threads = null, int? mmapThresholdBytes = Training.TensorAllocator.LabMmapThresholdBytes)
    {
        if (mmapThresholdBytes is { } bytes) Training.TensorAllocator.Pin(bytes);
        if (threads is { } t) set_num_threads(t);
        CausalLanguageModel Build(bool tiny) => model switch
        {
            "gpt2-reference" => new GptModel(tiny ? TrainingBenchmark.ReferenceConfig with { VocabSize = 16, NPositions = 8, NEmbd = 16, NLayer = 1, NHead = 2 } : TrainingBenchmark.ReferenceConfig),
            "llama-small" => new LlamaModel(tiny ? SmallLlama with { VocabSize = 16, HiddenSize = 16, IntermediateSize = 16, NumHiddenLayers = 1, HeadDim = 4, MaxPositionEmbeddings = 8 } : SmallLlama),
            _ => throw new ArgumentException($"unknown model '{model}' (expected one of: {string.Join(", ", Models)})", nameof(model)),
        };
        // The baseline is the process after the same phase ran once on a tiny model of the same architecture:
        // the runtime, libtorch's code for these operations and its thread pools, nothing that scales with the model.
        using (var tiny = Build(tiny: true)) Phase(tiny, training, lora, dtype, checkpointing, 1, 2, []);
        GC.Collect();
        var runtime = ProcessMemory.ResidentBytes();
        ProcessMemory.ResetPeak();

        random.manual_seed(0);
        using var lm = Build(tiny: false);
        var shape = ModelShape.Of(lm.Config);
        var method = lora ? new LoraSpec { TargetModules = ["all-linear"] } : MethodSpec.Full;
        var (trainable, samples) = Phase(lm, training, lora, dtype, checkpointing, steps, batchSize, sampleSteps);
        var peak = ProcessMemory.PeakResidentBytes();
        var estimate = training
            ? MemoryEstimate.ForTraining(shape, method, batchSize, lm.Config.MaxPositions, dtype, checkpointing, trainable, runtime)
            : MemoryEstimate.ForEvaluation(shape, batchSize, lm.Config.MaxPositions, dtype, runtime);
        return new MemoryBenchmarkResult(model, training ? "train" : "eval", lora ? "lora-r8-all-linear" : "full", SpecNames.Of(dtype), checkpointing,
            batchSize, lm.Config.MaxPositions, shape.Parameters, runtime, peak, samples, estimate);
    }

    private static (long Trainable, List<MemorySample> Samples) Phase(
        CausalLanguageModel lm, bool training, bool lora, ComputeDtype dtype, bool checkpointing, int steps, int batchSize, IReadOnlyCollection<int> sampleSteps)
    {
        var vocab = lm.Config.VocabSize;
        var length = lm.Config.MaxPositions;
        IReadOnlyList<TorchSharp.Modules.Parameter> trainable = lora
            ? new Peft.LoraSettings(8, 16, 0, ["all-linear"]).Apply(lm)
            : lm.parameters().ToList();
        var samples = new List<MemorySample>();
        var compute = Autocast.Of(dtype);
        if (training)
        {
            using var optimizer = optim.AdamW(trainable, lr: 1e-4, weight_decay: 0.01);
            lm.train();
            lm.GradientCheckpointing = checkpointing;
            for (var step = 1; step <= steps; step++)
            {
                using (NewDisposeScope())
                {
                    var input = randint(0, vocab, [batchSize, length]);
                    var target = randint(0, vocab, [batchSize, length]);
                    optimizer.zero_grad();
                    Tensor loss;
                    using (Autocast.Enter(compute))
                    {
                        var logits = lm.forward(input);
                        loss = nn.functional.cross_entropy(logits.view(-1, vocab), target.view(-1));
                    }
                    loss.backward();
                    nn.utils.clip_grad_norm_(trainable, 1.0);
                    optimizer.step();
                }
                if (sampleSteps.Contains(step)) samples.Add(MemorySample.Now(step));
            }
        }
        else
        {
            lm.eval();
            using var _ = no_grad();
            for (var step = 1; step <= steps; step++)
            {
                using (NewDisposeScope())
                using (Autocast.Enter(compute))
                    nn.functional.log_softmax(lm.forward(randint(0, vocab, [batchSize, length])), -1).sum().item<float>();
                if (sampleSteps.Contains(step)) samples.Add(MemorySample.Now(step));
            }
        }
        return (trainable.Sum(p => p.numel()), samples);
    }
}
