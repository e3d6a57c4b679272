namespace ForgetLab.Lab.Runs;

/// <summary>
/// Reports on the caller's thread, in order. (<see cref="Progress{T}"/> posts to the thread pool, so a
/// progress bar could see events late or out of order.)
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
