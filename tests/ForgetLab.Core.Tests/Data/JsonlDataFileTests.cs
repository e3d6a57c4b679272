using System.Text;
using ForgetLab.Core.Data;

namespace ForgetLab.Core.Tests.Data;

/// <summary>
/// A data file is read in one of its three shapes, and anything else is refused with the file, the line and the
/// field, before anything runs.
/// </summary>
public class JsonlDataFileTests
{
    private static JsonlDataFile Parse(string text, DataShape? only = null) => JsonlDataFile.Parse(Encoding.UTF8.GetBytes(text), "tickets.jsonl", only);

    private static string Refusal(string text, DataShape? only = null) => Assert.Throws<DataFileException>(() => Parse(text, only)).Message;

    [Fact]
    public void PromptCompletionLinesAreReadWithTheirLineNumbers()
    {
        var file = Parse("{\"prompt\": \"q: 2+2?\", \"completion\": \" 4\"}\n\n{\"prompt\": \"\", \"completion\": \"x\"}\n");
        Assert.Equal(DataShape.PromptCompletion, file.Shape);
        Assert.Equal([new PromptCompletionExample(1, "q: 2+2?", " 4"), new PromptCompletionExample(3, "", "x")], file.Examples);
    }

    [Fact]
    public void MessagesLinesKeepEveryTurnInOrder()
    {
        var file = Parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}\r\n");
        var example = Assert.IsType<MessagesExample>(Assert.Single(file.Examples));
        Assert.Equal(["user:hi", "assistant:hello"], example.Messages.Select(m => $"{m.Role}:{m.Content}"));
    }

    [Fact]
    public void TextLinesAreReadAndTheHashIsOfTheBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"text\": \"the capital of peru is lima .\"}");
        var file = JsonlDataFile.Parse(bytes, "corpus.jsonl");
        Assert.Equal(DataShape.Text, file.Shape);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), file.Sha256);
    }

    [Fact]
    public void AMalformedLineIsNamedByItsNumber() =>
        Assert.StartsWith("tickets.jsonl:2: not valid JSON", Refusal("{\"text\": \"a\"}\n{\"text\": \"b\"\n"));

    [Fact]
    public void AMissingFieldIsNamed() =>
        Assert.Equal("tickets.jsonl:1: completion: required field is missing", Refusal("{\"prompt\": \"a\"}"));

    [Fact]
    public void AnUnknownFieldIsNamed() =>
        Assert.Equal("tickets.jsonl:1: id: unknown field (a prompt_completion line holds prompt and completion)",
            Refusal("{\"prompt\": \"a\", \"completion\": \"b\", \"id\": 7}"));

    [Fact]
    public void AnUnknownFieldOfAMessageIsNamedWithItsIndex() =>
        Assert.Equal("tickets.jsonl:1: messages[1].name: unknown field (a message holds role and content)",
            Refusal("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\", \"name\": \"x\"}]}"));

    [Fact]
    public void AFieldOfTheWrongTypeIsNamed() =>
        Assert.Equal("tickets.jsonl:1: messages[0].content: expected a string, found the number 3",
            Refusal("{\"messages\": [{\"role\": \"user\", \"content\": 3}]}"));

    [Fact]
    public void AnEmptySetIsRefused() =>
        Assert.Equal("tickets.jsonl: no examples: the set is empty", Refusal("\n  \n"));

    [Fact]
    public void InvalidUtf8IsNamedByLineAndByte()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"text\": \"ok\"}\n{\"text\": \"caf").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();
        var e = Assert.Throws<DataFileException>(() => JsonlDataFile.Parse(bytes, "tickets.jsonl"));
        Assert.Equal(2, e.Line);
        Assert.StartsWith("tickets.jsonl:2: not valid UTF-8 at byte", e.Message);
    }

    [Fact]
    public void AFileHoldsOneShape() =>
        Assert.Equal("tickets.jsonl:2: a text line in a file whose first example (line 1) is prompt_completion: one shape per file",
            Refusal("{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"text\": \"c\"}"));

    [Fact]
    public void ALineOfNoKnownShapeSaysWhatItFound() =>
        Assert.Equal("tickets.jsonl:1: expected {\"prompt\", \"completion\"}, {\"messages\": [...]} or {\"text\"}; found 'question', 'answer'",
            Refusal("{\"question\": \"a\", \"answer\": \"b\"}"));

    [Fact]
    public void AFieldWrittenTwiceIsRefused() =>
        Assert.Equal("tickets.jsonl:1: text: the field is written twice", Refusal("{\"text\": \"a\", \"text\": \"b\"}"));

    [Fact]
    public void AnEmptyConversationOrCompletionIsRefused()
    {
        Assert.Equal("tickets.jsonl:1: messages: the conversation is empty", Refusal("{\"messages\": []}"));
        Assert.Equal("tickets.jsonl:1: completion: must not be empty", Refusal("{\"prompt\": \"a\", \"completion\": \"\"}"));
    }

    [Fact]
    public void ACorpusHoldsTextLinesOnly() =>
        Assert.Equal("tickets.jsonl:1: a corpus holds {\"text\"} lines; this is a prompt_completion line",
            Refusal("{\"prompt\": \"a\", \"completion\": \"b\"}", DataShape.Text));

    [Fact]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<DataFileException>(() => JsonlDataFile.Read(Path.Combine(Directory.CreateTempSubdirectory("forgetlab-jsonl-").FullName, "nope.jsonl"), "nope.jsonl"));
        Assert.StartsWith("nope.jsonl: cannot be read", e.Message);
    }

    public static TheoryData<string> StreamedFiles => new()
    {
        string.Concat(Enumerable.Range(0, 40).Select(i => $"{{\"text\": \"line {i} of many\"}}\n")),
        "\uFEFF{\"prompt\": \"a\", \"completion\": \"b\"}\r\n\r\n{\"prompt\": \"c\", \"completion\": \"d\"}",
        "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"prompt\": \"c\", \"completion\": \"d\"}\n",
        string.Concat(Enumerable.Range(0, 30).Select(i => "{\"text\": \"ok\"}\n")) + "{\"text\": 3}\n",
        "\n\n  \n",
        "{\"text\": \"a\"}\n[1]\n",
        "x",
    };

    /// <summary>The platform checks uploads as a stream, keeping no example: it must accept and refuse exactly what reading the file does, at the same line.</summary>
    [Theory]
    [MemberData(nameof(StreamedFiles))]
    public void CheckingAStreamAcceptsAndRefusesWhatReadingTheFileDoes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        string Outcome(Func<(DataShape, int)> read)
        {
            try
            {
                var (shape, count) = read();
                return $"{shape} {count}";
            }
            catch (DataFileException e)
            {
                return e.Message;
            }
        }

        var parsed = Outcome(() => JsonlDataFile.Parse(bytes, "tickets.jsonl") is var f ? (f.Shape, f.Examples.Count) : default);
        // A 48-byte line limit makes the stream's buffer wrap and grow many times over these lines.
        var streamed = Outcome(() => JsonlDataFile.Check(new MemoryStream(bytes), "tickets.jsonl", maxLineBytes: 48));

        Assert.Equal(parsed, streamed);
    }

    [Fact]
    public void AStreamedLineLongerThanTheLimitIsRefusedAtItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"text\": \"short\"}\n{\"text\": \"" + new string('a', 100) + "\"}\n");

        var refusal = Assert.Throws<DataFileException>(() => JsonlDataFile.Check(new MemoryStream(bytes), "tickets.jsonl", maxLineBytes: 48));

        Assert.Equal("tickets.jsonl:2: the line is longer than 48 bytes, the most a line may hold on the platform", refusal.Message);
    }
}
