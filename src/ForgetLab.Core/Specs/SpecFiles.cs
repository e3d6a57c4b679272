namespace ForgetLab.Core.Specs;

/// <summary>
/// What a spec may name as a file (<c>suites[i]</c>, <c>base.path</c>, and the items file a suite
/// names): anything the user can read in the stand-alone lab (<see cref="Local"/>); nothing on the
/// platform (<see cref="None"/>), where tenants name built-in suites and registered models; or, where
/// an operator configured a spec directory, only regular files inside it (<see cref="ConfinedTo"/>),
/// checked after every symbolic link is resolved. Platform refusals never read the file, and never say
/// whether a path outside the directory exists.
/// </summary>
public sealed record SpecFiles
{
    private SpecFiles(SpecFileRule rule, string? directory)
    {
        Rule = rule;
        Directory = directory;
    }

    public SpecFileRule Rule { get; }

    /// <summary>
    /// Where the registered data sets a spec names with <c>data_ref</c> are on this machine (name → folder of its JSONL
    /// files), as a worker's job is given them. Null: in the stand-alone lab a <c>data_ref</c> is refused; on the platform
    /// it is accepted unread (the server checks the name against the tenant's registry, the worker brings the files).
    /// </summary>
    public IReadOnlyDictionary<string, string>? DatasetFolders { get; init; }

    /// <summary>Where relative paths resolve (the spec's folder, or the operator's directory); null for <see cref="None"/>.</summary>
    public string? Directory { get; }

    /// <summary>The stand-alone lab: a local user's own files, relative to <paramref name="baseDirectory"/>.</summary>
    public static SpecFiles Local(string baseDirectory) => new(SpecFileRule.Local, Path.GetFullPath(baseDirectory));

    /// <summary>The platform without a spec directory: every path is refused at its field.</summary>
    public static SpecFiles None { get; } = new(SpecFileRule.None, null);

    /// <summary>The platform with an operator's spec directory: paths are relative to it and stay inside it.</summary>
    public static SpecFiles ConfinedTo(string directory) => new(SpecFileRule.Confined, RealPath(Path.GetFullPath(directory)));

    /// <summary>The platform's rule given the operator's setting (<c>ForgetLab:Experiments:SpecBaseDirectory</c>; null or empty: none).</summary>
    public static SpecFiles ForPlatform(string? configuredDirectory) =>
        string.IsNullOrWhiteSpace(configuredDirectory) ? None : ConfinedTo(configuredDirectory);

    /// <summary>A suite file (or a suite's items file, relative to <paramref name="relativeTo"/>): its full path, or why it is refused.</summary>
    public (string? Full, string? Error) File(string typed, string? relativeTo = null, string what = "suite file")
    {
        if (Refusal(typed, $"{("aeiou".Contains(what[0]) ? "an" : "a")} {what} path", "name a built-in suite (uploading suites as tenant resources comes with data_ref)") is { } refused)
            return (null, refused);
        var full = Path.GetFullPath(Path.Combine(relativeTo ?? Directory!, typed));
        if (Rule == SpecFileRule.Local)
            return System.IO.File.Exists(full) ? (full, null) : (null, $"{what} '{typed}' not found");
        var (real, error) = Confine(typed, full);
        if (real is null) return (null, error);
        // A device, a FIFO or a /proc file reports no size: none of them is a suite.
        return System.IO.File.Exists(real) && new FileInfo(real).Length > 0
            ? (real, null)
            : (null, $"{what} '{typed}' not found in the spec directory, or not a regular, non-empty file");
    }

    /// <summary>
    /// The file of a registered data set a spec names (<c>{ data_ref: NAME, file: F }</c>; <paramref name="file"/> null: its one
    /// file of the kind): its full path; null with no error where it is named but not read here (the platform's server); or why not.
    /// </summary>
    /// <param name="kind">What the field takes: a data file, a suite header, a tokenizer or a chat template; only the data set's files of that kind count.</param>
    public (string? Full, string? Error) Dataset(string name, string? file, DataRefKind kind = DataRefKind.Data)
    {
        if (DatasetFolders is null)
            return Rule == SpecFileRule.Local
                ? (null, "names a data set of the platform's registry (forgetlab datasets upload); the stand-alone lab reads files: give the file's path")
                : (null, null);
        if (!DatasetFolders.TryGetValue(name, out var folder))
            return (null, $"data set '{name}' was not brought to this machine");
        var held = System.IO.Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        return DatasetFile(name, file, held, kind) is { } problem ? (null, problem) : (Path.Combine(folder, file ?? Kind(held, kind)[0]), null);
    }

    /// <summary>
    /// Why <paramref name="file"/> of data set <paramref name="name"/> holding <paramref name="held"/> cannot be named at a field
    /// taking <paramref name="kind"/> (its JSONL files, its YAML files, its tokenizer files or its chat templates), or null (one
    /// rule for the server's registry and the worker's folder).
    /// </summary>
    public static string? DatasetFile(string name, string? file, IReadOnlyList<string> held, DataRefKind kind = DataRefKind.Data)
    {
        var of = Kind(held, kind);
        var what = DataRef.KindName(kind);
        if (file is null)
            return of.Count == 1 ? null
                : of.Count == 0 ? $"data set '{name}' holds no {what}"
                : $"data set '{name}' holds {of.Count} {(kind == DataRefKind.Data ? "files" : what[..what.IndexOf(" (", StringComparison.Ordinal)] + "s")} ({List(of)}): name one with 'file'";
        if (of.Contains(file)) return null;
        return held.Contains(file)
            ? $"'{file}' of data set '{name}' is not a {what}{(kind == DataRefKind.Data && DataRef.IsSuiteFile(file) ? ": name it under suites" : "")}"
            : $"data set '{name}' has no file '{file}' (it holds {List(held)})";
    }

    private static List<string> Kind(IReadOnlyList<string> held, DataRefKind kind) => [.. held.Where(f => DataRef.IsFileOfKind(f, kind))];

    private static string List(IReadOnlyList<string> names) => $"{string.Join(", ", names.Take(8))}{(names.Count > 8 ? ", …" : "")}";

    /// <summary>
    /// A model folder with a config.json (or, with <paramref name="needsConfig"/> false, any folder: a checkpoint or
    /// adapter folder to evaluate, whose kind the lab tells): its full path, or why it is refused.
    /// </summary>
    public (string? Full, string? Error) Folder(string typed, bool needsConfig = true)
    {
        if (Refusal(typed, "a model folder path", "register the model (POST /api/v1/models) and name it with base.model_ref") is { } refused)
            return (null, refused);
        var full = Path.GetFullPath(Path.Combine(Directory!, typed));
        if (Rule == SpecFileRule.Local)
        {
            if (!System.IO.Directory.Exists(full)) return (null, $"model folder '{typed}' not found");
            if (!needsConfig) return (full, null);
            return System.IO.File.Exists(Path.Combine(full, "config.json")) ? (full, null) : (null, $"model folder '{typed}' has no config.json");
        }
        var (real, error) = Confine(typed, full);
        if (real is null) return (null, error);
        if (!System.IO.Directory.Exists(real)) return (null, $"model folder '{typed}' not found in the spec directory");
        // The lab opens the folder's files by name: none of them may lead out either.
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(real))
        {
            if (!IsInside(RealPath(entry)))
                return (null, $"model folder '{typed}' holds '{Path.GetFileName(entry)}', a link that leads outside the spec directory");
        }
        if (!needsConfig) return (real, null);
        var config = Path.Combine(real, "config.json");
        return System.IO.File.Exists(config) && new FileInfo(config).Length > 0 ? (real, null) : (null, $"model folder '{typed}' has no config.json");
    }

    /// <summary>The refusal that needs no look at the disk: any path on a platform without a directory, absolute paths and '..'.</summary>
    private string? Refusal(string typed, string what, string instead)
    {
        if (Rule == SpecFileRule.Local) return null;
        if (Rule == SpecFileRule.None)
            return $"{what} is not accepted on the platform: {instead}; an operator may allow files from a spec directory (ForgetLab:Experiments:SpecBaseDirectory)";
        if (typed.Length == 0 || typed.Contains('\0'))
            return $"{what} must be a relative path inside the spec directory";
        if (Path.IsPathRooted(typed) || typed.StartsWith('~'))
            return $"{what} must be relative to the spec directory, not absolute";
        if (typed.Replace('\\', '/').Split('/').Contains(".."))
            return $"{what} must not contain '..': name a file inside the spec directory";
        return null;
    }

    private (string? Real, string? Error) Confine(string typed, string full)
    {
        string real;
        try
        {
            real = RealPath(full);
        }
        catch (IOException)
        {
            return (null, $"'{typed}' is a link that cannot be resolved (a loop, or too many levels)");
        }
        return IsInside(real) ? (real, null) : (null, $"'{typed}' leads outside the spec directory (through a symbolic link)");
    }

    private bool IsInside(string real) =>
        real == Directory || real.StartsWith(Directory!.EndsWith(Path.DirectorySeparatorChar) ? Directory : Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The path with every symbolic link on it resolved, component by component (what realpath(3)
    /// answers), so a link to a folder outside cannot hide in the middle of a path. Components that
    /// do not exist are kept as written.
    /// </summary>
    public static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > 40) throw new IOException("too many levels of symbolic links");
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
                next = RealPath(Path.GetFullPath(Path.Combine(current, target)), depth + 1);
            current = next;
        }
        return current;
    }
}
