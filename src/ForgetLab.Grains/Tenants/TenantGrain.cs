using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Tenants;

/// <summary>
/// A tenant: its settings (weight and quotas, which it hands to the pool), members and API keys.
/// Platform admins configure any tenant; everyone else sees only their own, and another tenant
/// looks the same as one that does not exist.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", GrainStorage.Name)] IPersistentState<TenantGrainState> tenant,
    PlatformClock clock) : Grain, ITenantGrain
{
    private TenantGrainState Current => tenant.State;

    private bool Exists => tenant.State.Settings is not null;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<Reply<TenantView>> Configure(Caller caller, TenantSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (caller.Role != TenantRole.PlatformAdmin)
        {
            return Visible(caller) ? Replies.Forbidden<TenantView>(TenantRole.PlatformAdmin) : NotFound();
        }

        var errors = Validate(settings);
        if (!errors.IsEmpty) return Replies.Invalid<TenantView>(errors);

        await Save(Current with { Settings = settings });
        await GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool)
            .SetTenantShare(TenantId, settings.Weight, settings.MaxConcurrentDevices, settings.DeviceHoursBudget, settings.GuaranteedDevices);
        return Replies.Ok(View(caller));
    }

    public Task<Reply<TenantView>> Get(Caller caller) =>
        Task.FromResult(Visible(caller) ? Replies.Ok(View(caller)) : NotFound());

    public async Task<Reply<TenantUsage>> GetUsage(Caller caller)
    {
        if (!Visible(caller)) return Replies.As<TenantUsage, TenantView>(NotFound());
        var held = await GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetTenantAllocation(TenantId);
        return Replies.Ok(new TenantUsage(
            TenantId, held.DevicesHeld, held.MaxConcurrentDevices, held.DeviceHoursUsed, held.DeviceHoursBudget, held.RunsQueued));
    }

    public async Task<Reply<TenantView>> SetMember(Caller caller, TenantMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Administers(caller) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(member.UserId)) return Replies.Invalid<TenantView>("userId", "userId is empty");
        if (member.Role > caller.Role) return Replies.Forbidden<TenantView>(member.Role);

        var others = Current.Members.RemoveAll(m => m.UserId == member.UserId);
        await Save(Current with { Members = others.Add(member) });
        return Replies.Ok(View(caller));
    }

    public async Task<Reply<TenantView>> RemoveMember(Caller caller, string userId)
    {
        if (Administers(caller) is { } refused) return refused;
        if (!Current.Members.Any(m => m.UserId == userId)) return Replies.NotFound<TenantView>($"member '{userId}'");

        await Save(Current with { Members = Current.Members.RemoveAll(m => m.UserId == userId) });
        return Replies.Ok(View(caller));
    }

    public async Task<Reply<IssuedApiKey>> CreateApiKey(Caller caller, string label, TenantRole role)
    {
        if (Administers(caller) is { } refused) return Replies.As<IssuedApiKey, TenantView>(refused);
        if (role > caller.Role) return Replies.Forbidden<IssuedApiKey>(role);
        if (!Enum.IsDefined(role)) return Replies.Invalid<IssuedApiKey>("role", $"unknown role {role}");
        if (label?.Length > InputLimits.MaxLabelChars)
            return Replies.Invalid<IssuedApiKey>("label", $"must be at most {InputLimits.MaxLabelChars} characters, got {label.Length}");

        var (keyId, secret) = ApiKeySecrets.Create(TenantId);
        var stored = new StoredApiKey(keyId, label ?? "", role, clock.UtcNow, false, ApiKeySecrets.Hash(secret));
        await Save(Current with { ApiKeys = Current.ApiKeys.Add(stored) });
        return Replies.Ok(new IssuedApiKey(Info(stored), secret));
    }

    public async Task<Reply<ApiKeyInfo>> RevokeApiKey(Caller caller, string keyId)
    {
        if (Administers(caller) is { } refused) return Replies.As<ApiKeyInfo, TenantView>(refused);
        var key = Current.ApiKeys.FirstOrDefault(k => k.KeyId == keyId);
        if (key is null) return Replies.NotFound<ApiKeyInfo>($"API key '{keyId}'");
        if (key.Revoked) return Replies.Ok(Info(key));

        var revoked = key with { Revoked = true };
        await Save(Current with { ApiKeys = Current.ApiKeys.Replace(key, revoked) });
        return Replies.Ok(Info(revoked));
    }

    public Task<Caller?> VerifyApiKey(string secret)
    {
        Caller? caller = null;
        if (Exists && ApiKeySecrets.TryParse(secret, out var tenantId, out var keyId) && tenantId == TenantId
            && Current.ApiKeys.FirstOrDefault(k => k.KeyId == keyId) is { Revoked: false } key
            && ApiKeySecrets.Matches(secret, key.Sha256))
        {
            caller = new Caller(TenantId, key.Role, $"key:{key.KeyId}");
        }

        return Task.FromResult(caller);
    }

    /// <summary>Null when the caller may manage this tenant's members and keys; otherwise the refusal.</summary>
    private Reply<TenantView>? Administers(Caller caller)
    {
        if (!Visible(caller)) return NotFound();
        return TenantAccess.Allows(caller, TenantRole.TenantAdmin) ? null : Replies.Forbidden<TenantView>(TenantRole.TenantAdmin);
    }

    private bool Visible(Caller caller) =>
        Exists && (caller.Role == TenantRole.PlatformAdmin || caller.TenantId == TenantId);

    private Reply<TenantView> NotFound() => Replies.NotFound<TenantView>($"tenant '{TenantId}'");

    private ImmutableArray<FieldError> Validate(TenantSettings settings)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        if (!GrainKeys.IsTenantId(TenantId))
            errors.Add(new FieldError(0, "tenantId", $"must be {GrainKeys.TenantRule}"));
        if (string.IsNullOrWhiteSpace(settings.DisplayName))
            errors.Add(new FieldError(0, "displayName", "is empty"));
        else if (settings.DisplayName.Length > InputLimits.MaxDisplayNameChars)
            errors.Add(new FieldError(0, "displayName", $"must be at most {InputLimits.MaxDisplayNameChars} characters, got {settings.DisplayName.Length}"));
        if (!(settings.Weight > 0) || !double.IsFinite(settings.Weight) || settings.Weight > InputLimits.MaxWeight)
            errors.Add(new FieldError(0, "weight", $"must be a number > 0 and at most {InputLimits.MaxWeight:0}, got {settings.Weight}"));
        // No upper bound: a quota larger than the pool only means the pool decides.
        if (settings.MaxConcurrentDevices < 0)
            errors.Add(new FieldError(0, "maxConcurrentDevices", $"must be ≥ 0, got {settings.MaxConcurrentDevices}"));
        // Above the tenant's own cap a guarantee could never be used, only lent; refused rather than silently clipped.
        // Checked against the cap only when the cap itself is valid, so one bad field gets one error.
        if (settings.GuaranteedDevices < 0 || settings.MaxConcurrentDevices >= 0 && settings.GuaranteedDevices > settings.MaxConcurrentDevices)
            errors.Add(new FieldError(0, "guaranteedDevices", $"must be between 0 and maxConcurrentDevices ({settings.MaxConcurrentDevices}), got {settings.GuaranteedDevices}"));
        if (settings.DeviceHoursBudget is { } budget && (!double.IsFinite(budget) || budget < 0 || budget > InputLimits.MaxDeviceHoursBudget))
            errors.Add(new FieldError(0, "deviceHoursBudget", $"must be a number between 0 and {InputLimits.MaxDeviceHoursBudget:0} (or absent for no limit), got {budget}"));
        return errors.ToImmutable();
    }

    private Task Save(TenantGrainState next) => tenant.SaveOrRollBack(next, "tenant");

    /// <summary>Keys are listed to admins only; nobody sees a secret or its hash.</summary>
    private TenantView View(Caller caller) => new(
        TenantId,
        Current.Settings!,
        Current.Members,
        TenantAccess.Allows(caller, TenantRole.TenantAdmin) ? [.. Current.ApiKeys.Select(Info)] : []);

    private static ApiKeyInfo Info(StoredApiKey key) => new(key.KeyId, key.Label, key.Role, key.CreatedAt, key.Revoked);
}
