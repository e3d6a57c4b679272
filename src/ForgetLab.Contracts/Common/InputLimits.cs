namespace ForgetLab.Contracts.Common;

/// <summary>
/// Bounds on the fields of tenant requests, checked by the grains that own them so every entry
/// point (API, dashboard, CLI through the API) refuses the same values with a 400 naming the
/// field. docs/security.md lists them; they are generous for real use and small enough that no
/// value can reach storage's own limits (a 64 KiB table property) or wait forever in the pool.
/// </summary>
public static class InputLimits
{
    /// <summary>Characters of an API key's label.</summary>
    public const int MaxLabelChars = 200;

    /// <summary>Characters of a tenant's display name.</summary>
    public const int MaxDisplayNameChars = 200;

    /// <summary>Characters of a cancel reason.</summary>
    public const int MaxReasonChars = 1_000;

    /// <summary>Devices one run may ask for on one worker.</summary>
    public const int MaxDevicesPerRun = 64;

    /// <summary>Run priority within a tenant's queue: -1000 to 1000.</summary>
    public const int MaxPriority = 1_000;

    /// <summary>A tenant's fair-share weight: above 0, at most this.</summary>
    public const double MaxWeight = 1_000_000;

    /// <summary>A tenant's device-hours budget.</summary>
    public const double MaxDeviceHoursBudget = 1e9;

    /// <summary>Characters of an id in a URL (experiment, run, tenant, key, model); real ids have at most 64.</summary>
    public const int MaxIdChars = 128;

    /// <summary>
    /// The text for a rejected value in an error message: quoted, and shortened when long, so an
    /// answer never echoes a whole hostile value.
    /// </summary>
    public static string Quote(string? text) =>
        text is null ? "nothing" : text.Length <= 80 ? $"'{text}'" : $"'{text[..80]}…' ({text.Length} characters)";
}
