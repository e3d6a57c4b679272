using ForgetLab.Grains.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ForgetLab.Grains.Hosting;

/// <summary>What a silo needs besides storage and reminders to host ForgetLab's grains.</summary>
public static class GrainServices
{
    /// <summary>
    /// Registers the platform clock (system time unless <paramref name="clock"/> is given), options, and, unless the host
    /// registered its own, a checkpoint item reader that finds none (<see cref="NoCheckpointItems"/>).
    /// </summary>
    public static IServiceCollection AddForgetLabGrains(this IServiceCollection services, TimeProvider? clock = null)
    {
        services.TryAddSingleton(new PlatformClock(clock ?? TimeProvider.System));
        services.TryAddSingleton<ICheckpointItemReader, NoCheckpointItems>();
        services.AddOptions<GpuPoolOptions>();
        services.AddOptions<ExperimentOptions>();
        return services;
    }
}
