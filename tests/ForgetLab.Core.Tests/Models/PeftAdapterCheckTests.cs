using System.Text;
using System.Text.Json.Nodes;
using ForgetLab.Core.Models;

namespace ForgetLab.Core.Tests.Models;

/// <summary>
/// A PEFT LoRA adapter is checked against its base from its config and its tensors' header alone, with PEFT's meanings of
/// adapter_config.json; what the lab does not evaluate is refused by its key, and each problem names the file and the field or tensor.
/// </summary>
public sealed class PeftAdapterCheckTests
{
    private static readonly ModelShape Base = ModelShape.Of(HfConfig.Parse(Encoding.UTF8.GetBytes(TinyHfFolders.LlamaConfig()), "config.json"));

    private static (PeftAdapterSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) Check(Dictionary<string, byte[]> files) =>
        PeftAdapterCheck.Check(TinyHfFolders.Heads(files), Base, "tiny-llama");

    [Fact]
    public void APeftLoraOnTwoProjectionsIsSummarisedWithItsRankAlphaAndScaling()
    {
        var (summary, problems) = Check(TinyLoraAdapters.Lora(4, "self_attn.q_proj", "mlp.down_proj"));

        Assert.Empty(problems);
        Assert.Equal(("LORA", 4, 256.0, false), (summary!.PeftType, summary.Rank, summary.Alpha, summary.UseRsLora));
        Assert.Equal(["q_proj", "down_proj"], summary.TargetModules);
        Assert.Equal(2, summary.AdaptedProjections);
        Assert.Equal(4 * 8 + 8 * 4 + 4 * 12 + 8 * 4, summary.Parameters);
        Assert.Equal(64.0, summary.Scaling);
        Assert.Equal("F32", summary.Dtype);
    }

    [Fact]
    public void RsLoraScalesByAlphaOverTheRootOfTheRank()
    {
        var config = TinyLoraAdapters.Config(4, 8, "q_proj");
        config["use_rslora"] = true;

        var (summary, problems) = Check(TinyLoraAdapters.Files(config, 4, "self_attn.q_proj"));

        Assert.Empty(problems);
        Assert.Equal(4.0, summary!.Scaling);
    }

    [Fact]
    public void AllLinearAdaptsEveryProjectionOfTheLayerAndNeedsEachOnesTensors()
    {
        var config = TinyLoraAdapters.Config(2, 4);
        config["target_modules"] = "all-linear";
        var every = TinyLoraAdapters.Projections.Keys.ToArray();

        var (summary, problems) = Check(TinyLoraAdapters.Files(config, 2, every));
        var (_, partial) = Check(TinyLoraAdapters.Files(config, 2, every[1..]));

        Assert.Empty(problems);
        Assert.Equal(7, summary!.AdaptedProjections);
        Assert.Contains(partial, p => p.Where == "adapter_model.safetensors" && p.Message.Contains("has no base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "ia3", "adapter_config.json.peft_type", "\"IA3\" is not supported: the registry takes LORA adapters" },
        { "no peft_type", "adapter_config.json.peft_type", "missing" },
        { "no r", "adapter_config.json.r", "missing: the adapter's rank" },
        { "zero r", "adapter_config.json.r", "must be a positive integer, got 0" },
        { "no alpha", "adapter_config.json.lora_alpha", "missing" },
        { "a target the base lacks", "adapter_config.json.target_modules[0]", "'c_attn' matches no layer of 'tiny-llama'" },
        { "a regex target", "adapter_config.json.target_modules", "a regular expression is not supported" },
        { "gpt2 layout", "adapter_config.json.fan_in_fan_out", "true is GPT-2's Conv1D layout, but 'tiny-llama' is llama" },
        { "trained biases", "adapter_config.json.bias", "only \"none\" is supported" },
        { "modules to save", "adapter_config.json.modules_to_save", "[\"lm_head\"] is not supported" },
        { "dora", "adapter_config.json.use_dora", "true is not supported" },
        { "a rank pattern", "adapter_config.json.rank_pattern", "is not supported" },
        { "layers to transform", "adapter_config.json.layers_to_transform", "[0] is not supported" },
        { "a classifier", "adapter_config.json.task_type", "only CAUSAL_LM adapters are evaluated" },
        { "not json", "adapter_config.json", "not valid JSON" },
        { "another rank", "adapter_model.safetensors[base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight]", "has shape [2, 8], but with r = 4 on 'tiny-llama''s self_attn.q_proj (8 in, 8 out) it must be [4, 8]" },
        { "a layer the base lacks", "adapter_model.safetensors[base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight]", "names layer 3, but 'tiny-llama' has 1 layers" },
        { "gpt2 names", "adapter_model.safetensors[base_model.model.transformer.h.0.attn.c_attn.lora_A.weight]", "an adapter for another architecture than 'tiny-llama'" },
        { "an untargeted tensor", "adapter_model.safetensors[base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight]", "adapts self_attn.v_proj, which adapter_config.json's target_modules does not name" },
        { "a saved module's tensor", "adapter_model.safetensors[base_model.model.lm_head.weight]", "not a LoRA tensor" },
        { "a model's file beside it", "config.json", "an adapter folder holds only adapter_config.json and adapter_model.safetensors" },
        { "no weights", "adapter_model.safetensors", "missing" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void WhatTheLabDoesNotEvaluateIsRefusedAtItsFileAndField(string broken, string where, string message)
    {
        var (summary, problems) = Check(Break(broken));

        Assert.Null(summary);
        Assert.Contains(problems, p => p.Where == where && p.Message.Contains(message, StringComparison.Ordinal));
    }

    /// <summary>The rank-4 LoRA on q_proj broken one way.</summary>
    private static Dictionary<string, byte[]> Break(string broken)
    {
        var config = TinyLoraAdapters.Config(4, 8, "q_proj");
        var projections = new[] { "self_attn.q_proj" };
        var rank = 4;
        Dictionary<string, byte[]>? files = null;
        switch (broken)
        {
            case "ia3": config["peft_type"] = "IA3"; break;
            case "no peft_type": config.Remove("peft_type"); break;
            case "no r": config.Remove("r"); break;
            case "zero r": config["r"] = 0; break;
            case "no alpha": config.Remove("lora_alpha"); break;
            case "a target the base lacks": config["target_modules"] = new JsonArray("c_attn"); break;
            case "a regex target": config["target_modules"] = ".*q_proj"; break;
            case "gpt2 layout": config["fan_in_fan_out"] = true; break;
            case "trained biases": config["bias"] = "all"; break;
            case "modules to save": config["modules_to_save"] = new JsonArray("lm_head"); break;
            case "dora": config["use_dora"] = true; break;
            case "a rank pattern": config["rank_pattern"] = new JsonObject { ["q_proj"] = 8 }; break;
            case "layers to transform": config["layers_to_transform"] = new JsonArray(0); break;
            case "a classifier": config["task_type"] = "SEQ_CLS"; break;
            case "another rank": rank = 2; break;
            case "an untargeted tensor": projections = ["self_attn.q_proj", "self_attn.v_proj"]; break;
            case "not json":
                files = TinyLoraAdapters.Files(config, rank, projections);
                files["adapter_config.json"] = "{\"peft_type\": \"LORA\","u8.ToArray();
                return files;
            case "a layer the base lacks":
            case "gpt2 names":
            case "a saved module's tensor":
                files = TinyLoraAdapters.Files(config, rank, projections);
                var name = broken switch
                {
                    "a layer the base lacks" => "base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight",
                    "gpt2 names" => "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight",
                    _ => "base_model.model.lm_head.weight",
                };
                files["adapter_model.safetensors"] = TinyHfFolders.Safetensors([
                    ("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", [4, 8]),
                    ("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", [8, 4]),
                    (name, [4, 8])]);
                return files;
            case "a model's file beside it":
                files = TinyLoraAdapters.Files(config, rank, projections);
                files["config.json"] = Encoding.UTF8.GetBytes(TinyHfFolders.LlamaConfig());
                return files;
            case "no weights":
                files = TinyLoraAdapters.Files(config, rank, projections);
                files.Remove("adapter_model.safetensors");
                return files;
        }
        files = TinyLoraAdapters.Files(config, rank, projections);
        if (broken == "another rank") files["adapter_config.json"] = Encoding.UTF8.GetBytes(TinyLoraAdapters.Config(4, 8, "q_proj").ToJsonString());
        return files;
    }
}
