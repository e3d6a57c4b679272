namespace ForgetLab.Contracts.Baselines;

/// <summary>
/// Answer to recording a baseline entry: the entry the platform keeps, and whether it is the one
/// offered (false when another run recorded the same suite definition first; that one stays).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.BaselineRecording")]
public sealed record BaselineRecording(
    [property: Id(0)] BaselineEntry Stored,
    [property: Id(1)] bool Accepted);
