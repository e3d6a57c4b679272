using Microsoft.JSInterop;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>
/// The start-up render has no browser: a call to JavaScript is answered as a circuit whose browser has gone away is
/// (<see cref="JSDisconnectedException"/>), which components expect when they are disposed (MudBlazor's theme provider does).
/// </summary>
internal sealed class NoJavaScript : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw NoBrowser(identifier);

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => throw NoBrowser(identifier);

    private static JSDisconnectedException NoBrowser(string identifier) => new($"the start-up render has no browser to call {identifier} in");
}
