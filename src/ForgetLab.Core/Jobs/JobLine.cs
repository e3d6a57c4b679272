namespace ForgetLab.Core.Jobs;

/// <summary>
/// What one line of a job's stdout holds (<see cref="JobProtocol.Read"/>): an <see cref="Event"/>, or an
/// <see cref="Error"/> saying why a line that claims to be one is not, or neither (other output).
/// </summary>
public sealed record JobLine
{
    private JobLine(JobEvent? e, string? error) => (Event, Error) = (e, error);

    public static JobLine Noise { get; } = new(null, null);

    public JobEvent? Event { get; }

    public string? Error { get; }

    public static JobLine Of(JobEvent e) => new(e, null);

    public static JobLine Malformed(string error) => new(null, error);
}
