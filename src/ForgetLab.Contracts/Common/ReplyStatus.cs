namespace ForgetLab.Contracts.Common;

/// <summary>How a request ended; the API maps these to 200, 404, 403, 400 and 409.</summary>
[GenerateSerializer, Alias("forgetlab.ReplyStatus")]
public enum ReplyStatus
{
    Ok = 0,

    /// <summary>No such resource for this caller: also the answer for another tenant's resource.</summary>
    NotFound = 1,

    /// <summary>The resource is the caller's tenant's, but the caller's role does not allow the call.</summary>
    Forbidden = 2,

    /// <summary>Bad input; <see cref="Reply{T}.Errors"/> names the fields. Nothing was changed.</summary>
    Invalid = 3,

    /// <summary>The resource's state does not allow the call (e.g. cancelling a completed run).</summary>
    Conflict = 4,
}
