using Microsoft.AspNetCore.Components.Forms;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>The start-up render has no request, so the layout's sign-out form gets no antiforgery token (nothing posts it).</summary>
internal sealed class NoAntiforgeryToken : AntiforgeryStateProvider
{
    public override AntiforgeryRequestToken? GetAntiforgeryToken() => null;
}
