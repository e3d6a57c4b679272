using ForgetLab.Core.Data;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Data;

/// <summary>
/// Which token positions carry loss, as TRL's SFTTrainer decides it: the completion and EOS of a pair, every token of
/// a text, the assistant turns of a conversation; and the switches that put the loss on every token.
/// </summary>
public class ExampleEncoderTests
{
    private static readonly PromptCompletionExample Pair = new(1, "q : what is two plus two ?", " four");

    private static readonly MessagesExample Conversation = new(4, [
        new("user", "what is two plus two ?"), new("assistant", "four"), new("user", "and three ?"), new("assistant", "five"),
    ]);

    [Fact]
    public void APairCarriesLossOnItsCompletionAndTheAppendedEos()
    {
        var tokenizer = DataFixtures.Words(Pair.Prompt, Pair.Completion);
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", null, completionOnlyLoss: true, assistantOnlyLoss: true).Encode(Pair);

        Assert.Equal([.. tokenizer.EncodeText(Pair.Prompt + Pair.Completion), tokenizer.EosId], encoded.Ids);
        Assert.Equal(["four", WordTokenizer.Eos], DataFixtures.LossTokens(tokenizer, encoded));
    }

    [Fact]
    public void CompletionOnlyLossOffPutsTheLossOnThePromptToo()
    {
        var tokenizer = DataFixtures.Words(Pair.Prompt, Pair.Completion);
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", null, completionOnlyLoss: false, assistantOnlyLoss: true).Encode(Pair);
        Assert.All(encoded.Loss, Assert.True);
    }

    [Fact]
    public void ATextCarriesLossOnEveryTokenAndEos()
    {
        var tokenizer = DataFixtures.Words("the capital of peru is lima .");
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", null, true, true).Encode(new TextExample(1, "the capital of peru is lima ."));
        Assert.Equal(8, encoded.Ids.Length);
        Assert.All(encoded.Loss, Assert.True);
    }

    [Fact]
    public void AConversationCarriesLossOnEachAssistantTurnAndItsEndMarkerOnly()
    {
        var tokenizer = DataFixtures.Words("what is two plus two ? four and three ? five");
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", DataFixtures.Chat, true, assistantOnlyLoss: true).Encode(Conversation);

        Assert.Equal(tokenizer.EncodeText(DataFixtures.Chat.Render(new(Conversation.Messages))), encoded.Ids);
        Assert.Equal(["four", "<", "end", ">", "five", "<", "end", ">"], DataFixtures.LossTokens(tokenizer, encoded));
    }

    [Fact]
    public void AssistantOnlyLossOffTrainsOnTheWholeRenderedConversation()
    {
        var tokenizer = DataFixtures.Words("what is two plus two ? four and three ? five");
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", DataFixtures.Chat, true, assistantOnlyLoss: false).Encode(Conversation);
        Assert.All(encoded.Loss, Assert.True);
    }

    [Fact]
    public void ARoleTheTemplateDoesNotKnowIsNamed()
    {
        var tokenizer = DataFixtures.Words("look it up found it");
        var example = new MessagesExample(7, [new("user", "look it up"), new("tool", "found it"), new("assistant", "it")]);
        var e = Assert.Throws<DataFileException>(() => new ExampleEncoder(tokenizer, "chat.jsonl", DataFixtures.Chat, true, true).Encode(example));
        Assert.Equal("chat.jsonl:7: messages[1].role: the chat template does not know role 'tool': it does not render this message's content", e.Message);
    }

    [Fact]
    public void AConversationWithoutAnAssistantTurnHasNothingToLearnAndIsRefused()
    {
        var tokenizer = DataFixtures.Words("hello");
        var e = Assert.Throws<DataFileException>(() => new ExampleEncoder(tokenizer, "chat.jsonl", DataFixtures.Chat, true, true).Encode(new MessagesExample(2, [new("user", "hello")])));
        Assert.StartsWith("chat.jsonl:2: messages: no assistant message", e.Message);
    }

    [Fact]
    public void WithoutAChatTemplateAConversationIsRefusedSayingWhereToNameOne()
    {
        var e = Assert.Throws<DataFileException>(() => new ExampleEncoder(DataFixtures.Words("a"), "chat.jsonl", null, true, true).Encode(Conversation));
        Assert.Contains("target.chat_template", e.Message);
    }

    [Fact]
    public void OnARealSubwordTokenizerTheCompletionTakesTheIdsItHasInRunningText()
    {
        var tokenizer = DataFixtures.SentencePiece();
        var pair = new PromptCompletionExample(1, "the capital of peru is", " lima");
        var encoded = new ExampleEncoder(tokenizer, "data.jsonl", null, true, true).Encode(pair);

        Assert.Equal([.. tokenizer.EncodeText("the capital of peru is lima"), tokenizer.EosId!.Value], encoded.Ids);
        var loss = encoded.Ids.Where((_, i) => encoded.Loss[i]).ToList();
        Assert.Equal(tokenizer.EosId, loss[^1]);
        Assert.Equal("lima", tokenizer.Decode(loss, skipSpecialTokens: true).Trim());
        Assert.Equal("the capital of peru is", tokenizer.Decode([.. encoded.Ids.Where((_, i) => !encoded.Loss[i])], skipSpecialTokens: true).Trim());
    }

    [Fact]
    public void QwensRealTemplateOnARealTokenizerPutsTheLossOnTheAnswersAndImEndOnly()
    {
        var tokenizer = DataFixtures.SentencePiece(DataFixtures.Qwen);
        var encoded = new ExampleEncoder(tokenizer, "chat.jsonl", tokenizer.ChatTemplate, true, true).Encode(Conversation);

        var loss = tokenizer.Decode([.. encoded.Ids.Where((_, i) => encoded.Loss[i])]);
        var rest = tokenizer.Decode([.. encoded.Ids.Where((_, i) => !encoded.Loss[i])]);
        Assert.Contains("four<|im_end|>", loss.Replace(" ", ""));
        Assert.Contains("five<|im_end|>", loss.Replace(" ", ""));
        Assert.DoesNotContain("what", loss);
        Assert.DoesNotContain("assistant", loss);
        Assert.Contains("You are Qwen", rest);     // the default system turn the template adds is context, not a target
        Assert.Contains("and three", rest);
    }

    [Fact]
    public void AHeldOutConversationIsScoredOnItsLastAssistantTurnAfterTheGenerationPrompt()
    {
        var tokenizer = DataFixtures.Words("what is two plus two ? four and three ? five");
        var item = new ExampleEncoder(tokenizer, "chat.jsonl", DataFixtures.Chat, true, true).HeldOut(Conversation, "line-4");

        Assert.EndsWith("<user> and three ? <end> <assistant> ", item.Prompt);
        Assert.Equal("five <end> ", item.Target);
    }

    [Fact]
    public void AHeldOutPairIsScoredOnItsCompletionAndEos()
    {
        var tokenizer = DataFixtures.Words(Pair.Prompt, Pair.Completion);
        var item = new ExampleEncoder(tokenizer, "data.jsonl", null, true, true).HeldOut(Pair, "line-1");
        Assert.Equal(SuiteItem.Continuation("line-1", Pair.Prompt, " four" + WordTokenizer.Eos), item);
    }

    [Fact]
    public void AHeldOutConversationMustEndWithTheAssistant()
    {
        var example = new MessagesExample(9, [new("user", "a"), new("assistant", "b"), new("user", "c")]);
        var e = Assert.Throws<DataFileException>(() => new ExampleEncoder(DataFixtures.Words("a b c"), "chat.jsonl", DataFixtures.Chat, true, true).HeldOut(example, "x"));
        Assert.StartsWith("chat.jsonl:9: messages[2].role: a held-out conversation ends with the assistant's turn", e.Message);
    }
}
