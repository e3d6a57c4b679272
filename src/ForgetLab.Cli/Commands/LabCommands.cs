using System.CommandLine;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Experiments;
using ForgetLab.Lab.World;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary><c>forgetlab lab …</c>: the stand-alone lab (pre-train, fine-tune the grid, evaluate, report).</summary>
internal static class LabCommands
{
    public static Command Create()
    {
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (default: all cores)" };

        var runSpec = new Argument<string>("spec") { Description = "experiment spec (YAML)" };
        var outDir = new Option<string?>("--out") { Description = "output folder (default: out/<spec name>)" };
        var run = new Command("run", "pre-train the base (cached), fine-tune every recipe of the grid, evaluate every checkpoint, report") { runSpec, outDir, threads };
        run.SetAction(parse => Exit.Guard(() =>
        {
            var spec = SpecLoader.LoadFile(parse.GetValue(runSpec)!);
            var output = parse.GetValue(outDir) ?? Path.Combine("out", spec.Name);
            var result = LabProgressDisplay.Run(progress =>
                new LabRunner(new LabRunnerOptions { Threads = parse.GetValue(threads), Progress = progress }).Run(spec, output));
            ReportTable.Write(result.Report);
            AnsiConsole.MarkupLineInterpolated($"[grey]base {result.BaseFolder} (pre-trained in {result.Pretrain.Seconds:F0} s at {result.Pretrain.TokensPerSecond:N0} tokens/s)[/]");
            AnsiConsole.MarkupLineInterpolated($"report: [bold]{Path.Combine(output, "report.json")}[/], {Path.Combine(output, "report.md")}; per-item results under {output}/");
            return 0;
        }));

        var pretrainSpec = new Argument<string>("spec") { Description = "experiment spec (YAML) whose base to pre-train" };
        var pretrain = new Command("pretrain", "pre-train the spec's base model into the model cache (once per spec hash)") { pretrainSpec, threads };
        pretrain.SetAction(parse => Exit.Guard(() =>
        {
            var spec = SpecLoader.LoadFile(parse.GetValue(pretrainSpec)!);
            if (!spec.Base.IsPretrained) throw new SpecUsageException($"{parse.GetValue(pretrainSpec)}: base.path is set; there is nothing to pre-train");
            if (parse.GetValue(threads) is { } t) TorchSharp.torch.set_num_threads(t);
            var options = new LabRunnerOptions();
            var world = BuiltInWorld.Load(new WorldCorpusOptions(Seed: spec.Seed));
            var (folder, summary) = LabProgressDisplay.Run(progress =>
                new BaseModelCache(options.CacheDirectory, progress).GetOrPretrain(spec, world, world.BuildTokenizer()));
            AnsiConsole.MarkupLineInterpolated($"base model: [bold]{folder}[/] ({summary.Steps} steps, {summary.Tokens:N0} tokens, {summary.Seconds:F0} s, final loss {summary.FinalLoss:F3})");
            return 0;
        }));

        return new Command("lab", "run forgetting experiments on this machine") { run, pretrain };
    }
}
