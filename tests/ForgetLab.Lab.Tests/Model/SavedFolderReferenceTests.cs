using System.Text.Json;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Model.Weights;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>
/// A folder ForgetLab writes — LoRA merged, sharded as save_pretrained shards — is read by the independent Python
/// reference (tests/reference/hf-models/forward.py, its own loader and forward) with the logits ForgetLab computes.
/// </summary>
public class SavedFolderReferenceTests(ReferenceModels reference) : IClassFixture<ReferenceModels>
{
    [Fact]
    public void AMergedShardedLlamaFolderGivesTheReferenceTheAdaptedModelsLogits()
    {
        _ = reference.Folder("llama-gqa"); // skips (or fails under CI) without python3-torch
        using var model = TinyLlamas.Create(TinyLlamas.Config with { TieWordEmbeddings = false });
        new LoraSettings(Rank: 2, Alpha: 4, Dropout: 0, TargetModules: ["q_proj", "v_proj", "down_proj"]).Apply(model);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("lora_B", StringComparison.Ordinal)))
                p.normal_(0, 0.5);
        var dir = TinyModels.TempDirectory();

        ModelFolder.Save(model.EffectiveStateDict(), model.Config, dir, maxShardBytes: 8_000);

        Assert.True(File.Exists(Path.Combine(dir, ModelWeights.IndexFile)));
        long[][] ids = [[1, 5, 9, 2, 30, 7, 7, 11], [3, 3, 17, 25, 39, 0, 4, 8]];
        var (code, output) = ReferenceModels.Run($"\"{ReferenceModels.Script("forward.py")}\" \"{dir}\" \"{JsonSerializer.Serialize(ids)}\"");
        Assert.True(code == 0, output);
        var theirs = JsonSerializer.Deserialize<float[][][]>(output)!;
        model.eval();
        using var tokens = tensor(ids.SelectMany(r => r).ToArray(), [2, 8]);
        using var ours = model.forward(tokens);
        var max = 0.0;
        for (var b = 0; b < 2; b++)
            for (var t = 0; t < 8; t++)
                for (var v = 0; v < model.Config.VocabSize; v++)
                    max = Math.Max(max, Math.Abs(theirs[b][t][v] - ours[b, t, v].item<float>()));
        if (Environment.GetEnvironmentVariable("FORGETLAB_AGREEMENT_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, $"saved llama LoRA-merged sharded\t{max:E2}\n");
        Assert.True(max <= 1e-4, $"max |Δlogit| {max:G3}");
    }
}
