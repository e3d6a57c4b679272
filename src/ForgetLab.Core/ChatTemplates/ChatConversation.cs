using System.Text.Json;

namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// The variables transformers' <c>apply_chat_template</c> passes a template for a conversation without tools:
/// <c>messages</c>, <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>.
/// </summary>
public sealed record ChatConversation(
    IReadOnlyList<ChatMessage> Messages,
    bool AddGenerationPrompt = false,
    string BosToken = "",
    string EosToken = "")
{
    /// <summary>
    /// Reads <c>{"messages": [{"role", "content"}…], "add_generation_prompt", "bos_token", "eos_token"}</c>;
    /// a wrong shape is a <see cref="FormatException"/> naming the source and the field.
    /// </summary>
    public static ChatConversation Parse(string json, string source = "conversation")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: must be a JSON object");
            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: messages: must be an array");
            var list = new List<ChatMessage>();
            var i = 0;
            foreach (var m in messages.EnumerateArray())
            {
                if (m.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: messages[{i}]: must be an object");
                list.Add(new ChatMessage(RequiredString(m, "role", $"messages[{i}]"), RequiredString(m, "content", $"messages[{i}]")));
                i++;
            }
            return new ChatConversation(list, OptionalBool(root, "add_generation_prompt"), OptionalString(root, "bos_token"), OptionalString(root, "eos_token"));

            string RequiredString(JsonElement obj, string name, string path) =>
                obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : throw new FormatException($"{source}: {path}.{name}: must be a string");

            string OptionalString(JsonElement obj, string name) =>
                !obj.TryGetProperty(name, out var v) ? ""
                : v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw new FormatException($"{source}: {name}: must be a string");

            bool OptionalBool(JsonElement obj, string name) =>
                obj.TryGetProperty(name, out var v) && (v.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? v.GetBoolean()
                    : throw new FormatException($"{source}: {name}: must be true or false"));
        }
    }
}
