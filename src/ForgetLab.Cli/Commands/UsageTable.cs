using System.Globalization;
using ForgetLab.Contracts.Tenants;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// Prints <c>GET /api/v1/usage</c>: what the tenant holds of the pool against its quota. Plain
/// text, so scripts can read it.
/// </summary>
internal static class UsageTable
{
    public static void Write(TenantUsage usage, TextWriter output)
    {
        var budget = usage.DeviceHoursBudget is { } hours ? Hours(hours) : "no limit";
        var left = usage.DeviceHoursBudget is { } b ? $" ({Hours(Math.Max(0, b - usage.DeviceHoursUsed))} left)" : "";
        output.WriteLine($"tenant        {usage.TenantId}");
        output.WriteLine($"devices       {usage.DevicesInUse} in use / {usage.MaxConcurrentDevices} max concurrent");
        output.WriteLine($"device-hours  {Hours(usage.DeviceHoursUsed)} used / {budget}{left}");
        output.WriteLine($"runs queued   {usage.RunsQueued}");
    }

    private static string Hours(double hours) => hours.ToString("0.###", CultureInfo.InvariantCulture);
}
