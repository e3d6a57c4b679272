using System.CommandLine;
using System.Globalization;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab model info DIR</c>: what a Hugging Face model folder is, read the way the registry checks
/// an upload (<see cref="ModelFolderCheck"/>: config, safetensors headers, tokenizer; no tensor is loaded):
/// architecture, parameters, dtype on disk, tokenizer, and Core's <see cref="MemoryEstimate"/> of what
/// fine-tuning it (full and LoRA) and evaluating it take at a batch size, sequence length and compute
/// dtype. A folder the registry would refuse prints every problem at its file and field and exits 2.
/// </summary>
internal static class ModelInfoCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "a Hugging Face model folder: config.json, model.safetensors (or a sharded index), tokenizer files or vocab.json" };
        var batch = new Option<int>("--batch-size") { Description = "sequences per step for the memory estimate", DefaultValueFactory = _ => 8 };
        var length = new Option<int?>("--sequence-length") { Description = "tokens per sequence for the memory estimate (default: the context, at most 512)" };
        var dtype = new Option<string>("--compute-dtype") { Description = "float32 or bfloat16, as train.compute_dtype", DefaultValueFactory = _ => "float32" };
        var info = new Command("info", "a model folder's architecture, parameters, dtype, tokenizer and memory estimate, checked as the registry checks an upload")
        {
            folder, batch, length, dtype,
        };
        info.SetAction(parse => Exit.Guard(() =>
        {
            var dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such model folder");
            if (!SpecNames.ComputeDtypes.TryGetValue(parse.GetValue(dtype)!, out var compute))
                throw new SpecUsageException($"--compute-dtype: '{parse.GetValue(dtype)}' is not one of {string.Join(", ", SpecNames.ComputeDtypes.Keys)}");
            if (parse.GetValue(batch) < 1 || parse.GetValue(length) is < 1) throw new SpecUsageException("--batch-size and --sequence-length must be positive");
            var (summary, problems) = ModelFolderCheck.CheckDirectory(dir);
            if (summary is null)
            {
                foreach (var problem in problems) Console.Error.WriteLine(problem);
                return Exit.BadInput;
            }
            var shape = ModelShape.Of(ModelFolder.ReadConfig(dir));
            Write(summary, shape, parse.GetValue(batch), parse.GetValue(length) ?? Math.Min(summary.MaxPositions, 512), compute, Console.Out);
            return 0;
        }));
        return info;
    }

    /// <summary>The summary and the memory estimates as aligned lines.</summary>
    internal static void Write(ModelSummary s, ModelShape shape, int batchSize, int sequenceLength, ComputeDtype dtype, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var heads = s.KeyValueHeads > 0 && s.KeyValueHeads != s.Heads ? $"{s.Heads} heads ({s.KeyValueHeads} key/value)" : $"{s.Heads} heads";
        output.WriteLine($"architecture  {s.ModelType}: {s.Layers} layers × {s.HiddenSize}, {heads}, vocab {s.VocabSize.ToString("N0", inv)}, context {s.MaxPositions.ToString("N0", inv)}");
        output.WriteLine($"parameters    {s.Parameters.ToString("N0", inv)}");
        output.WriteLine($"dtype         {s.Dtype} on disk ({Bytes(s.WeightBytes)})");
        output.WriteLine($"tokenizer     {s.Tokenizer.Kind} ({s.Tokenizer.File}), {s.Tokenizer.VocabSize.ToString("N0", inv)} ids");
        output.WriteLine($"memory        batch {batchSize} × {sequenceLength} tokens, compute {SpecNames.Of(dtype)}, AdamW, runtime included:");
        var lora = MethodSpec.LoRA(new LoraSpec { TargetModules = ["all-linear"] });
        foreach (var (what, estimate) in new[]
        {
            ("full fine-tuning", MemoryEstimate.ForTraining(shape, MethodSpec.Full, batchSize, sequenceLength, dtype)),
            ("LoRA r8 all-linear", MemoryEstimate.ForTraining(shape, lora, batchSize, sequenceLength, dtype)),
            ("evaluation", MemoryEstimate.ForEvaluation(shape, batchSize, sequenceLength, dtype)),
        })
        {
            output.WriteLine($"  {what,-20}{Bytes(estimate.TotalBytes),11}  (weights {Bytes(estimate.WeightBytes + estimate.ComputeCopyBytes)}, gradients {Bytes(estimate.GradientBytes)}, " +
                $"optimizer {Bytes(estimate.OptimizerBytes)}, activations {Bytes(estimate.ActivationBytes)}, runtime {Bytes(estimate.RuntimeBytes)})");
        }
    }

    private static string Bytes(long n) => n switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
    };
}
