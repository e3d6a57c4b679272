namespace ForgetLab.Server.Hosting;

/// <summary>
/// Where this silo sits in its cluster (section <c>ForgetLab:Silo</c>). Two servers on one machine
/// need distinct <see cref="SiloPort"/> and <see cref="GatewayPort"/>; servers sharing
/// <see cref="ClusterId"/> and storage form one cluster, and <see cref="ServiceId"/> keys grain state.
/// </summary>
public sealed class SiloOptions
{
    public const string Section = "ForgetLab:Silo";

    public string ClusterId { get; set; } = "forgetlab";

    public string ServiceId { get; set; } = "forgetlab";

    /// <summary>The address other silos and clients reach this one at.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Listen on every interface rather than only the advertised address (containers behind NAT).</summary>
    public bool ListenOnAnyHostAddress { get; set; }
}
