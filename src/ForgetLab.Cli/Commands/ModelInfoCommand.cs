using System.CommandLine;
using System.Globalization;
using ForgetLab.Core.Models;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab model info DIR</c>: what a Hugging Face model folder is, read the way the registry checks
/// an upload (<see cref="ModelFolderCheck"/>: config, safetensors headers, tokenizer; no tensor is loaded):
/// architecture, parameters, dtype on disk, tokenizer, and the memory its weights take. A folder the
/// registry would refuse prints every problem at its file and field and exits 2.
/// </summary>
internal static class ModelInfoCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "a Hugging Face model folder: config.json, model.safetensors (or a sharded index), tokenizer files or vocab.json" };
        var info = new Command("info", "a model folder's architecture, parameters, dtype, tokenizer and weights' memory, checked as the registry checks an upload") { folder };
        info.SetAction(parse => Exit.Guard(() =>
        {
            var dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such model folder");
            var (summary, problems) = ModelFolderCheck.CheckDirectory(dir);
            if (summary is null)
            {
                foreach (var problem in problems) Console.Error.WriteLine(problem);
                return Exit.BadInput;
            }
            Write(summary, Console.Out);
            return 0;
        }));
        return info;
    }

    /// <summary>The summary as aligned lines.</summary>
    internal static void Write(ModelSummary s, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var heads = s.KeyValueHeads > 0 && s.KeyValueHeads != s.Heads ? $"{s.Heads} heads ({s.KeyValueHeads} key/value)" : $"{s.Heads} heads";
        output.WriteLine($"architecture  {s.ModelType}: {s.Layers} layers × {s.HiddenSize}, {heads}, vocab {s.VocabSize.ToString("N0", inv)}, context {s.MaxPositions.ToString("N0", inv)}");
        output.WriteLine($"parameters    {s.Parameters.ToString("N0", inv)}");
        output.WriteLine($"dtype         {s.Dtype} on disk");
        output.WriteLine($"tokenizer     {s.Tokenizer.Kind} ({s.Tokenizer.File}), {s.Tokenizer.VocabSize.ToString("N0", inv)} ids");
        // The training and evaluation estimate (gradients, optimizer state, activations) is Core's memory estimate's to give.
        output.WriteLine($"memory        weights {Bytes(s.WeightBytes)} as stored, {Bytes(s.Parameters * 4)} in float32; training and activation memory are not estimated here");
    }

    private static string Bytes(long n) => n switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{n / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
    };
}
