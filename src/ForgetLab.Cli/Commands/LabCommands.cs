using System.CommandLine;

namespace ForgetLab.Cli.Commands;

/// <summary><c>forgetlab lab …</c>: the stand-alone lab (pre-train, fine-tune the grid, evaluate, report).</summary>
internal static class LabCommands
{
    public static Command Create()
    {
        return new Command("lab", "run forgetting experiments on this machine");
    }
}
