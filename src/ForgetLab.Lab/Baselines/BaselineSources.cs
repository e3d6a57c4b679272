namespace ForgetLab.Lab.Baselines;

/// <summary>Where a baseline came from: the platform (recorded by an earlier run), this machine's model cache, or evaluated now.</summary>
public static class BaselineSources
{
    public const string Platform = "platform";
    public const string Cache = "cache";
    public const string Evaluated = "evaluated";
}
