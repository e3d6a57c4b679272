using ForgetLab.Contracts.Pool;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Pool;

/// <summary>Workers, devices busy and free, leases, the queue and each tenant's fair share; platform admins only, live.</summary>
public partial class PoolPage : LivePage
{
    private PoolSnapshot? _pool;
    private bool _loaded;

    protected override bool KeepRefreshing => _pool is not null;

    protected override async Task Load()
    {
        _pool = await Data.Pool(await User(), Stopping);
        _loaded = true;
    }

    private static int Devices(PoolSnapshot pool) => pool.Workers.Sum(w => w.Devices.Length);

    private static int Busy(PoolSnapshot pool) => pool.Leases.Sum(l => l.DeviceIds.Length);
}
