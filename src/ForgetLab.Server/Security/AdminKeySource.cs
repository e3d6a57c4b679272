using Microsoft.Extensions.Configuration.CommandLine;

namespace ForgetLab.Server.Security;

/// <summary>
/// Where the platform admin's bootstrap key comes from: a file (<c>ForgetLab:AdminKeyFile</c>,
/// which <c>./forgetlab up</c> keeps mode 600) or the environment (<c>ForgetLab__AdminKey</c>).
/// Never the command line: every local user can read a process's arguments (<c>ps</c>), so a key
/// given there stops the server before it starts.
/// </summary>
public static class AdminKeySource
{
    public const string KeyName = "ForgetLab:AdminKey";
    public const string FileName = "ForgetLab:AdminKeyFile";

    /// <summary>The key, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The key is on the command line, or the key file is missing or empty.</exception>
    public static string? Read(IConfiguration configuration)
    {
        if (configuration is IConfigurationRoot root
            && root.Providers.OfType<CommandLineConfigurationProvider>().Any(p => p.TryGet(KeyName, out var value) && !string.IsNullOrEmpty(value)))
        {
            throw new InvalidOperationException(
                $"The admin key was given on the command line ({KeyName}), where every local user can read it (ps). " +
                $"Put it in a file readable only by the server and pass --{FileName} PATH, or set the environment variable ForgetLab__AdminKey.");
        }

        if (configuration[FileName] is { Length: > 0 } path)
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"The admin key file '{path}' ({FileName}) does not exist.");
            var key = File.ReadAllText(path).Trim();
            if (key.Length == 0) throw new InvalidOperationException($"The admin key file '{path}' ({FileName}) is empty.");
            return key;
        }

        return configuration[KeyName] is { Length: > 0 } configured ? configured : null;
    }
}
