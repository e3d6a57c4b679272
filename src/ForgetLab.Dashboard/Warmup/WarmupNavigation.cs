using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>The start-up render's address: the page it renders, on a host that does not exist. It never navigates.</summary>
internal sealed class WarmupNavigation : NavigationManager
{
    public WarmupNavigation(string path) => Initialize("http://warmup.invalid/", "http://warmup.invalid" + path);

    protected override void NavigateToCore(string uri, NavigationOptions options)
    {
        // A static render has nowhere to go; the made-up experiment is always found.
    }
}
