using System.Text;
using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Data;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Tests.Model;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Data;

/// <summary>Small data files, a minimal chat template and the tokenizers the data tests run on.</summary>
internal static class DataFixtures
{
    /// <summary>A ChatML-like template that knows system, user and assistant and drops any other role (as Qwen's does).</summary>
    public const string Template =
        "{% for m in messages %}{% if m.role == 'system' or m.role == 'user' or m.role == 'assistant' %}" +
        "{{ '<' + m.role + '> ' + m.content + ' <end> ' }}{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<assistant> ' }}{% endif %}";

    public static ChatTemplate Chat => ChatTemplate.Parse(Template);

    public static string Qwen => File.ReadAllText(Path.Combine(ReferenceModels.RepoRoot(), "..", "shared", "chat-templates", "Qwen2.5-Instruct.jinja"));

    public static JsonlDataFile Parse(string text) => JsonlDataFile.Parse(Encoding.UTF8.GetBytes(text), "data.jsonl");

    /// <summary>A word tokenizer that knows every word of <paramref name="texts"/> and the template's markers.</summary>
    public static WordTokenizer Words(params string[] texts) => WordTokenizer.Build([.. texts, "< > end system user assistant"]);

    /// <summary>The Llama-2-style SentencePiece fixture (a real subword tokenizer) with a tokenizer_config.json.</summary>
    public static PretrainedTokenizer SentencePiece(string? chatTemplate = null)
    {
        var dir = TinyModels.TempDirectory();
        File.Copy(Path.Combine(ReferenceModels.RepoRoot(), "tests", "ForgetLab.Core.Tests", "Tokenizers", "Fixtures", "sentencepiece", "llama2-style.model"),
            Path.Combine(dir, SentencePieceTokenizer.FileName));
        var config = new Dictionary<string, object?> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" };
        if (chatTemplate is not null) config["chat_template"] = chatTemplate;
        File.WriteAllText(Path.Combine(dir, TokenizerConfig.FileName), System.Text.Json.JsonSerializer.Serialize(config));
        return PretrainedTokenizer.Load(dir);
    }

    /// <summary>The tokens of an encoded example that carry loss, as text.</summary>
    public static string[] LossTokens(ITokenizer tokenizer, ForgetLab.Lab.Training.MaskedExample example) =>
        [.. example.Ids.Where((_, i) => example.Loss[i]).Select(id => tokenizer.IdToToken(id)!)];

    public static string Write(string text)
    {
        var path = Path.Combine(TinyModels.TempDirectory(), "data.jsonl");
        File.WriteAllText(path, text);
        return path;
    }
}
