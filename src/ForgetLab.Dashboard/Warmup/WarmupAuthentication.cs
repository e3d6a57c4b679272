using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>The start-up render's signed-in user (the layout shows who is signed in).</summary>
internal sealed class WarmupAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}
