namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Device kinds as workers report them (lower-case, compared ordinally). A run may ask for a kind
/// or for <see cref="Any"/>.
/// </summary>
public static class DeviceKind
{
    public const string Cuda = "cuda";
    public const string Cpu = "cpu";

    /// <summary>A run that can use any device; it takes the ordinally first kind that fits ("cpu" before "cuda").</summary>
    public const string Any = "any";
}
