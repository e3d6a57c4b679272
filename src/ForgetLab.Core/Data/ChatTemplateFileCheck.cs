using System.Text;
using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Data;

/// <summary>
/// Checks a chat template a data set holds (<c>target.chat_template: { data_ref, file }</c>): strict UTF-8, parsed by the
/// parser the lab renders <c>messages</c> lines with (<see cref="ChatTemplate.Parse"/>), within its bounds. A refusal is a
/// <see cref="DataFileException"/> naming the file and the template's line.
/// </summary>
public static class ChatTemplateFileCheck
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Check(string name, byte[] bytes)
    {
        string source;
        try
        {
            source = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFileException(name, 0, "", $"not valid UTF-8 at byte {e.Index}");
        }
        if (source.Length > 0 && source[0] == '\uFEFF') source = source[1..]; // File.ReadAllText, as the lab reads it, drops a BOM
        if (source.Trim().Length == 0) throw new DataFileException(name, 0, "", "the template is empty");
        try
        {
            _ = ChatTemplate.Parse(source);
        }
        catch (ChatTemplateException e)
        {
            throw new DataFileException(name, e.Line, "", e.Reason);
        }
    }
}
