using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

public class ChatConversationTests
{
    [Fact]
    public void AConversationReadsMessagesAndTheTemplateVariables()
    {
        var c = ChatConversation.Parse("""{"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"bos_token":"<s>","eos_token":"</s>"}""");

        Assert.Equal(new ChatMessage("user", "hi"), Assert.Single(c.Messages));
        Assert.True(c.AddGenerationPrompt);
        Assert.Equal("<s>", c.BosToken);
        Assert.Equal("</s>", c.EosToken);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user"}]}""", "chat.json: messages[0].content: must be a string")]
    [InlineData("""{"messages":[{"role":"user","content":"a"},{"role":3,"content":"b"}]}""", "chat.json: messages[1].role: must be a string")]
    [InlineData("""{"messages":{}}""", "chat.json: messages: must be an array")]
    [InlineData("""{"messages":[],"add_generation_prompt":"yes"}""", "chat.json: add_generation_prompt: must be true or false")]
    [InlineData("""{"messages":[],"bos_token":1}""", "chat.json: bos_token: must be a string")]
    [InlineData("""[1]""", "chat.json: must be a JSON object")]
    public void AWrongShapeIsAnErrorNamingTheField(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => ChatConversation.Parse(json, "chat.json"));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void InvalidJsonIsAnErrorNamingTheSource()
    {
        var e = Assert.Throws<FormatException>(() => ChatConversation.Parse("{", "chat.json"));

        Assert.StartsWith("chat.json: not valid JSON", e.Message, StringComparison.Ordinal);
    }
}
