using Microsoft.AspNetCore.Authentication;

namespace ForgetLab.Server.Security;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The platform admin's bootstrap key (<c>ForgetLab:AdminKey</c>); null or empty: no admin key.</summary>
    public string? AdminKey { get; set; }
}
