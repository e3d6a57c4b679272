using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>The stand-alone lab wrote the experiment's <c>report.json</c> (<c>report_written</c>); a worker's job writes run reports instead.</summary>
public sealed record ReportWritten(
    [property: JsonPropertyName("file")] string File) : JobEvent;
