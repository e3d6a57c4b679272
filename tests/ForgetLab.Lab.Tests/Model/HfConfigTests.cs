using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Model.Llama;

namespace ForgetLab.Lab.Tests.Model;

public class HfConfigTests
{
    private const string Llama = """
        { "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 40, "hidden_size": 32,
          "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": 16 }
        """;

    private static string Write(string json)
    {
        var dir = TinyModels.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
        return Path.Combine(dir, "config.json");
    }

    private static string ErrorOf(string json) => Assert.Throws<InvalidDataException>(() => HfConfig.Read(Write(json))).Message;

    private static string With(string field, string value) => Llama.Replace("\"model_type\": \"llama\",", $"\"model_type\": \"llama\", \"{field}\": {value},");

    [Fact]
    public void ALlamaConfigTakesTransformersDefaultsForOptionalFields()
    {
        var config = Assert.IsType<LlamaConfig>(HfConfig.Read(Write(Llama)));

        Assert.Equal(4, config.NumKeyValueHeads);   // num_attention_heads
        Assert.Equal(8, config.HeadDim);            // hidden_size / num_attention_heads
        Assert.Equal(1e-6, config.RmsNormEps);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.False(config.TieWordEmbeddings);
        Assert.Null(config.RopeScaling);
    }

    [Theory]
    [InlineData("""{ "architectures": ["Qwen2ForCausalLM"] }""", "qwen2")]
    [InlineData("""{ "architectures": ["MistralForCausalLM"], "model_type": "mistral" }""", "mistral")]
    [InlineData("""{ "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3" }""", "qwen3")]
    public void TheArchitectureComesFromModelTypeOrArchitectures(string names, string modelType)
    {
        var json = Llama.Replace("\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\"", names.Trim('{', '}', ' '));
        Assert.Equal(modelType, HfConfig.Read(Write(json)).ModelType);
    }

    [Fact]
    public void AGpt2ConfigReadsAsBefore()
    {
        var config = Assert.IsType<GptConfig>(HfConfig.Read(Write("""{ "model_type": "gpt2", "vocab_size": 40, "n_positions": 16, "n_embd": 32, "n_layer": 2, "n_head": 4 }""")));
        Assert.Equal(TinyModels.Config, config);
    }

    [Theory]
    [InlineData("hidden_size", "config.json: hidden_size: missing")]
    [InlineData("vocab_size", "config.json: vocab_size: missing")]
    [InlineData("max_position_embeddings", "config.json: max_position_embeddings: missing")]
    public void AMissingFieldIsNamedWithTheFile(string field, string expected)
    {
        var json = System.Text.RegularExpressions.Regex.Replace(Llama, $",\\s*\"{field}\": \\d+", "");
        Assert.EndsWith(expected, ErrorOf(json));
    }

    [Theory]
    [InlineData("num_key_value_heads", "3", "num_key_value_heads: 3 does not divide num_attention_heads (4)")]
    [InlineData("rope_scaling", """{ "rope_type": "yarn", "factor": 4.0 }""", "rope_scaling.rope_type: 'yarn' is not supported (default, linear, llama3)")]
    [InlineData("rope_scaling", """{ "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0 }""", "rope_scaling.original_max_position_embeddings: missing")]
    [InlineData("rope_scaling", """{ "type": "linear" }""", "rope_scaling.factor: missing")]
    [InlineData("hidden_act", "\"gelu\"", "hidden_act: 'gelu' is not supported (silu)")]
    [InlineData("tie_word_embeddings", "\"yes\"", "tie_word_embeddings: must be true or false")]
    [InlineData("sliding_window", "8", "sliding_window: 8 is shorter than max_position_embeddings (16): sliding-window attention is not supported")]
    public void AContradictoryOrUnsupportedFieldIsNamed(string field, string value, string expected)
    {
        var message = ErrorOf(With(field, value));
        Assert.Contains("config.json: ", message);
        Assert.EndsWith(expected, message);
    }

    [Fact]
    public void ModelTypeAndArchitecturesMustAgree()
    {
        var message = ErrorOf(Llama.Replace("LlamaForCausalLM", "Qwen2ForCausalLM"));
        Assert.EndsWith("architectures: 'Qwen2ForCausalLM' contradicts model_type 'llama' (expected LlamaForCausalLM)", message);
    }

    [Fact]
    public void AnUnknownArchitectureIsRefusedByName()
    {
        var message = ErrorOf(Llama.Replace("\"model_type\": \"llama\"", "\"model_type\": \"falcon\""));
        Assert.Contains("model_type: 'falcon' is not a supported architecture", message);
    }

    [Fact]
    public void HeadDimMayDifferFromHiddenOverHeads()
    {
        var config = Assert.IsType<LlamaConfig>(HfConfig.Read(Write(With("head_dim", "16"))));
        Assert.Equal(16, config.HeadDim);
        using var model = TinyLlamas.Create(config);
        Assert.Equal([64, 32], model.state_dict()["model.layers.0.self_attn.q_proj.weight"].shape);
        Assert.Equal([32, 64], model.state_dict()["model.layers.0.self_attn.o_proj.weight"].shape);
    }
}
