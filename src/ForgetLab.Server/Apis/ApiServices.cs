using System.Security.Claims;
using ForgetLab.Contracts.Common;
using ForgetLab.Grains.Hosting;
using ForgetLab.Server.Security;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Apis;

/// <summary>What every handler needs, bound with <c>[AsParameters]</c>: the grains and who is calling.</summary>
public sealed record ApiServices(
    IGrainFactory Grains,
    ClaimsPrincipal User,
    IOptions<ExperimentOptions> ExperimentOptions)
{
    public Caller Caller => User.ToCaller();
}
