using System.Diagnostics;

namespace ForgetLab.Server.Tests;

/// <summary>Ending the processes tests start (servers, workers, Prometheus), shared by every test project that starts them.</summary>
internal static class ChildProcesses
{
    /// <summary>Kills the process (and its children, e.g. a worker's jobs) if it still runs, waits for it and releases it.</summary>
    public static async ValueTask StopAsync(Process process, bool entireProcessTree = true)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing left to stop.
        }
        process.Dispose();
    }
}
