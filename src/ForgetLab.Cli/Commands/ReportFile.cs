using System.Text.Json;
using ForgetLab.Core.Reports;

namespace ForgetLab.Cli.Commands;

/// <summary>A report.json named on the command line, read once the same way for every command that takes one.</summary>
internal static class ReportFile
{
    /// <summary>The report at <paramref name="path"/>; a file that is not a report is a usage error naming the file.</summary>
    public static ForgettingReport Read(string path)
    {
        try
        {
            return ReportJson.Deserialize(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new SpecUsageException($"{path}: not a forgetting report ({e.Message})");
        }
    }
}
