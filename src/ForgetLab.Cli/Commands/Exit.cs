using ForgetLab.Core.Data;
using ForgetLab.Core.Specs;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>A command-line mistake that is not a spec field (e.g. pre-training a spec whose base is a folder).</summary>
internal sealed class SpecUsageException(string message) : Exception(message);

/// <summary>
/// Exit codes: 0 success, 1 a failure while running, 2 bad input (an invalid spec, a missing file).
/// Bad input is reported as the error messages alone, without a stack trace.
/// </summary>
internal static class Exit
{
    public const int Failure = 1;
    public const int BadInput = 2;

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (SpecValidationException e)
        {
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or SpecUsageException or DataFileException or Lab.Evaluated.EvaluateRefusedException)
        {
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        catch (Exception e)
        {
            AnsiConsole.WriteException(e, ExceptionFormats.ShortenEverything);
            return Failure;
        }
    }
}
