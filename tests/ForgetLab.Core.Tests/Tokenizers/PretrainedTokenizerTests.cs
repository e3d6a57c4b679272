using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// A model folder's tokenizer as transformers assembles it from tokenizer.json / tokenizer.model,
/// tokenizer_config.json and generation_config.json: special ids, add_bos/add_eos, split_special_tokens, clean-up,
/// chat templates, and the check against a model's vocab_size.
/// </summary>
public sealed class PretrainedTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forgetlab-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A copy of a real folder, with files added or replaced.
    private string Folder(string real, params (string Name, string Text)[] files)
    {
        var dir = Path.Combine(_dir, real + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(TokenizerFixtures.Real(real))) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }

    [Fact]
    public void QwensFolderNamesItsEosAndPadAndHasNoBos()
    {
        var tokenizer = TokenizerFixtures.LoadReal("qwen3");

        Assert.Null(tokenizer.BosId);
        Assert.Equal(tokenizer.TokenToId("<|im_end|>"), tokenizer.EosId);
        Assert.Equal(tokenizer.TokenToId("<|endoftext|>"), tokenizer.PadId);
        Assert.Equal(151669, tokenizer.VocabSize);
        Assert.Equal("tokenizer.json", tokenizer.TokenizerFile);
    }

    [Fact]
    public void AModelWithMoreRowsThanIdsFitsButOneWithFewerDoesNot()
    {
        var tokenizer = TokenizerFixtures.LoadReal("qwen3");

        Assert.Null(tokenizer.CheckFits(151936));
        Assert.Equal("tokenizer.json: ids reach 151668 (vocabulary and added tokens) but config.json's vocab_size is 151643", tokenizer.CheckFits(151643));
    }

    [Fact]
    public void GenerationConfigsEosListIsWhereGenerationStops()
    {
        var dir = Folder("llama3", ("generation_config.json", """{"bos_token_id": 128000, "eos_token_id": [128001, 128009]}"""));

        var tokenizer = PretrainedTokenizer.Load(dir);

        Assert.Equal(128000, tokenizer.BosId);
        Assert.Equal(128001, tokenizer.EosId);
        Assert.Equal([128001, 128009], tokenizer.StopIds);
        Assert.Null(tokenizer.CheckFits(128256));
    }

    [Fact]
    public void AStopIdBeyondTheModelsVocabularyDoesNotFit()
    {
        var tokenizer = PretrainedTokenizer.Load(Folder("llama3", ("generation_config.json", """{"eos_token_id": [128001, 200000]}""")));

        Assert.Equal("generation_config.json: eos_token_id 200000 is not below config.json's vocab_size 128256", tokenizer.CheckFits(128256));
    }

    [Fact]
    public void AddBosAndAddEosInTheConfigDecideTheTemplate()
    {
        var dir = Folder("llama2", ("tokenizer_config.json", """{"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true}"""));

        var tokenizer = PretrainedTokenizer.Load(dir);
        var ids = tokenizer.Encode("Hello world");

        Assert.NotEqual(1, ids[0]);
        Assert.Equal(2, ids[^1]);
        Assert.Equal(tokenizer.Encode("Hello world", addSpecialTokens: false), ids.Take(ids.Count - 1));
    }

    [Fact]
    public void WithoutAddBosTheTokenizerFilesPostProcessorDecides()
    {
        var tokenizer = PretrainedTokenizer.Load(Folder("llama2", ("tokenizer_config.json", """{"bos_token": "<s>", "eos_token": "</s>"}""")));

        Assert.Equal(1, tokenizer.Encode("Hello")[0]);
    }

    [Fact]
    public void SplitSpecialTokensTokenizesThemAsPlainText()
    {
        var normal = TokenizerFixtures.LoadReal("llama2");
        var split = PretrainedTokenizer.Load(Folder("llama2", ("tokenizer_config.json", """{"bos_token": "<s>", "split_special_tokens": true}""")));

        Assert.Equal([1, 1], normal.Encode("<s>"));
        Assert.True(split.Encode("<s>", addSpecialTokens: false).Count > 1);
        Assert.Equal("<s>", split.Decode(split.Encode("<s>"), skipSpecialTokens: true));
    }

    [Fact]
    public void CleanUpTokenizationSpacesIsAppliedWhenTheConfigAsksForIt()
    {
        var llama3 = TokenizerFixtures.LoadReal("llama3"); // its config says true
        var ids = llama3.Encode("Hello , world . I 'm here", addSpecialTokens: false);

        Assert.Equal("Hello, world. I'm here", llama3.Decode(ids));
    }

    [Fact]
    public void TheFoldersChatTemplateIsExposedAndRenders()
    {
        var tokenizer = TokenizerFixtures.LoadReal("qwen3");
        var conversation = new ChatConversation([new ChatMessage("user", "What is the capital of Peru?")], AddGenerationPrompt: true);

        var text = tokenizer.ChatTemplate!.Render(conversation);

        Assert.StartsWith("<|im_start|>user\nWhat is the capital of Peru?<|im_end|>\n<|im_start|>assistant\n", text);
        Assert.Equal(tokenizer.TokenToId("<|im_start|>"), tokenizer.Encode(text)[0]);
    }

    [Fact]
    public void AChatTemplateFileTakesPrecedenceOverTheConfigsTemplate()
    {
        var tokenizer = PretrainedTokenizer.Load(Folder("llama2", (PretrainedTokenizer.ChatTemplateFileName, "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}")));

        Assert.Equal("[user] hi\n", tokenizer.ChatTemplate!.Render(new ChatConversation([new ChatMessage("user", "hi")])));
    }

    [Fact]
    public void ATokenizerModelFolderTakesExtraSpecialTokensFromTheConfig()
    {
        var dir = Path.Combine(_dir, "spm");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(TokenizerFixtures.Fixtures, "sentencepiece", "llama2-style.model"), Path.Combine(dir, "tokenizer.model"));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """
            {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>",
             "added_tokens_decoder": {"420": {"content": "<pad>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true}}}
            """);

        var tokenizer = PretrainedTokenizer.Load(dir);

        Assert.Equal("tokenizer.model", tokenizer.TokenizerFile);
        Assert.Equal(420, tokenizer.PadId);
        Assert.Equal(421, tokenizer.VocabSize);
        Assert.Equal([1, 420], tokenizer.Encode("<pad>"));
        Assert.Equal("", tokenizer.Decode([1, 420], skipSpecialTokens: true));
    }

    [Fact]
    public void AConfigTokenOutsideTheVocabularyIsRefusedByField()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => PretrainedTokenizer.Load(Folder("llama2", ("tokenizer_config.json", """{"eos_token": "<|no_such_token|>"}"""))));

        Assert.Equal("tokenizer_config.json: eos_token: names a token that is not in tokenizer.json's vocabulary", e.Message);
    }

    [Theory]
    [InlineData("""{"bos_token": 7}""", "bos_token")]
    [InlineData("""{"add_bos_token": "yes"}""", "add_bos_token")]
    [InlineData("""{"chat_template": 3}""", "chat_template")]
    [InlineData("""{"added_tokens_decoder": {"x": {"content": "a"}}}""", "added_tokens_decoder.x")]
    [InlineData("""{"add_bos_token": true}""", "add_bos_token")]
    [InlineData("""{"chat_template": "{% macro m() %}{% endmacro %}"}""", "chat_template")]
    public void AMalformedTokenizerConfigIsRefusedByField(string config, string field)
    {
        var e = Assert.Throws<TokenizerFormatException>(() => PretrainedTokenizer.Load(Folder("llama2", ("tokenizer_config.json", config))));

        Assert.Equal("tokenizer_config.json", e.File);
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("""{"eos_token_id": "x"}""", "eos_token_id")]
    [InlineData("""{"eos_token_id": [1, -2]}""", "eos_token_id[1]")]
    [InlineData("""[1]""", "")]
    public void AMalformedGenerationConfigIsRefusedByField(string config, string field)
    {
        var e = Assert.Throws<TokenizerFormatException>(() => PretrainedTokenizer.Load(Folder("llama2", ("generation_config.json", config))));

        Assert.Equal("generation_config.json", e.File);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void FilesHeldInMemoryLoadAsTheFolderDoes()
    {
        var files = Directory.GetFiles(TokenizerFixtures.Real("llama2")).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        var tokenizer = PretrainedTokenizer.Load(name => files.GetValueOrDefault(name));

        Assert.Equal(TokenizerFixtures.LoadReal("llama2").Encode("Héllo wörld 🙂"), tokenizer.Encode("Héllo wörld 🙂"));
    }

    [Fact]
    public void AFolderWithoutATokenizerIsRefused()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => PretrainedTokenizer.Load(_dir));

        Assert.Contains("neither tokenizer.json nor tokenizer.model", e.Message);
        Assert.False(PretrainedTokenizer.Exists(_dir));
    }
}
