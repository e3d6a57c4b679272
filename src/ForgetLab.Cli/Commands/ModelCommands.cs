using System.CommandLine;
using System.IO.Compression;
using ForgetLab.Cli.Platform;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Models;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab models list | upload DIR --name N [--base B] | register EXPERIMENT --name N</c>: the tenant's
/// model registry, whose models specs name with <c>base: { model_ref: N }</c>, and whose PEFT adapters (uploaded on a
/// registered base B) and models an evaluation-only spec names with <c>evaluate: [{ name, model_ref: N }]</c>.
/// </summary>
internal static class ModelCommands
{
    public static Command Create(Func<Func<PlatformClient, Task>, int> guard)
    {
        var list = new Command("list", "the tenant's registered models");
        list.SetAction(_ => guard(async client => ModelTable.Write(await client.Get<List<ModelRecord>>("models"), Console.Out)));

        var folder = new Argument<string>("folder")
        {
            Description = "a Hugging Face model folder: config.json, model.safetensors (or a sharded index and its shards), tokenizer files or vocab.json; " +
                "or a PEFT LoRA adapter folder: adapter_config.json and adapter_model.safetensors",
        };
        var uploadName = new Option<string>("--name") { Description = "the name specs use in base.model_ref (or evaluate[].model_ref)", Required = true };
        var uploadBase = new Option<string?>("--base") { Description = "for an adapter: the registered base it goes on (default: its base_model_name_or_path, when that is a registered name)" };
        var upload = new Command("upload", "register a model folder or a PEFT adapter (zipped and uploaded; the server checks it)") { folder, uploadName, uploadBase };
        upload.SetAction(parse => guard(async client =>
        {
            var dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir)) throw new FileNotFoundException($"{dir}: no such model folder", dir);
            var onBase = parse.GetValue(uploadBase) is { } b ? $"&base={Uri.EscapeDataString(b)}" : "";
            var model = await client.PostZip<ModelRecord>($"models?name={Uri.EscapeDataString(parse.GetValue(uploadName)!)}{onBase}", Zip(dir));
            if (model.Adapter is { } adapter)
            {
                Console.WriteLine($"registered {model.Name}: {adapter.PeftType} r={adapter.Rank} alpha={adapter.Alpha:0.###}{(adapter.UseRsLora ? " (rsLoRA)" : "")} on {adapter.BaseModel}, " +
                    $"{adapter.AdaptedProjections} projections ({string.Join(", ", adapter.TargetModules)}), {adapter.Parameters:N0} parameters; " +
                    $"evaluate it with base: {{ model_ref: {adapter.BaseModel} }} and evaluate: [{{ name: {model.Name}, model_ref: {model.Name} }}]");
                return;
            }
            var a = model.Architecture;
            Console.WriteLine($"registered {model.Name}: {a.ModelType}, {a.Parameters:N0} parameters ({a.NLayer} layers × {a.NEmbd}), {a.Dtype} on disk, " +
                $"tokenizer {a.Tokenizer?.Kind} ({a.Tokenizer?.VocabSize:N0} ids); use it with base: {{ model_ref: {model.Name} }}");
        }));

        var experiment = new Argument<string>("experiment") { Description = "an experiment whose base to register (a worker has prepared it)" };
        var registerName = new Option<string>("--name") { Description = "the name specs use in base.model_ref", Required = true };
        var register = new Command("register", "register the base model of one of your experiments") { experiment, registerName };
        register.SetAction(parse => guard(async client =>
        {
            var model = await client.Post<ModelRecord>("models", new { name = parse.GetValue(registerName), experiment = parse.GetValue(experiment) });
            Console.WriteLine($"registered {model.Name} from {model.Source}; use it with base: {{ model_ref: {model.Name} }}");
        }));

        return new Command("models", "your tenant's base models and adapters: list, upload a folder, register an experiment's base") { list, upload, register };
    }

    /// <summary>The folder's model files in a zip, at its root; a missing one is left for the server to name.</summary>
    internal static byte[] Zip(string directory)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in ModelFiles.InFolder(directory))
                zip.CreateEntryFromFile(Path.Combine(directory, file), file, CompressionLevel.Fastest);
        }
        return buffer.ToArray();
    }
}
