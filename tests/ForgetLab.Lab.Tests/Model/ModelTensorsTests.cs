using ForgetLab.Lab.Model;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>The server checks uploads against Core's tensor list; each architecture's model must hold exactly that list.</summary>
public sealed class ModelTensorsTests
{
    public static TheoryData<string> Configs => new()
    {
        """{"model_type":"gpt2","vocab_size":16,"n_positions":8,"n_embd":8,"n_layer":2,"n_head":2}""",
        """{"model_type":"llama","vocab_size":16,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":2,"num_attention_heads":2,"num_key_value_heads":1,"max_position_embeddings":16,"attention_bias":true,"mlp_bias":true}""",
        """{"model_type":"llama","vocab_size":16,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"max_position_embeddings":16,"tie_word_embeddings":true}""",
        """{"model_type":"qwen2","vocab_size":16,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":16}""",
        """{"model_type":"qwen3","vocab_size":16,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"head_dim":6,"max_position_embeddings":16}""",
        """{"model_type":"mistral","vocab_size":16,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"max_position_embeddings":16}""",
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void EveryArchitecturesModelHoldsExactlyTheTensorsCoreExpects(string json)
    {
        var config = HfConfig.Parse(System.Text.Encoding.UTF8.GetBytes(json), "config.json");
        using var model = ModelArchitectures.Create(config);

        var held = model.BaseStateDict().Select(kv => (kv.Key, string.Join(",", kv.Value.shape))).ToList();
        var expected = ModelTensors.Expected(config).Select(t => (t.Name, string.Join(",", t.Shape))).ToList();

        Assert.Equal(expected.Order(), held.Order());
        Assert.Equal(ModelTensors.Parameters(config), model.BaseStateDict().Values.Sum(t => t.numel()));
        Assert.Equal(ModelTensors.Parameters(config), ModelShape.Of(config).Parameters); // the memory estimate counts the same parameters
    }
}
