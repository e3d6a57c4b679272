namespace ForgetLab.Worker.Tests;

/// <summary><c>--devices</c>: CPU slots by count, GPUs by index, mistakes refused with the reason.</summary>
public class DeviceSlotsTests
{
    [Fact]
    public void CpuNIsNSlots()
    {
        var devices = DeviceSlots.Parse("cpu:2");

        Assert.Equal(["cpu:0", "cpu:1"], devices.Select(d => d.DeviceId));
        Assert.All(devices, d => Assert.Equal("cpu", d.Kind));
    }

    [Fact]
    public void CpuSlotsShareTheMachinesRamAsTheirMemoryAndGpusReportNone()
    {
        var devices = DeviceSlots.Parse("cpu:2,cuda:0", ramBytes: 16L << 30);

        Assert.Equal([8L << 30, 8L << 30, null], devices.Select(d => d.MemoryBytes));
    }

    [Fact]
    public void GpusReportTheDriversTotalMemoryForTheirIndexAndNoneWhenItIsNotKnown()
    {
        var devices = DeviceSlots.Parse("cuda:0,cuda:1,cuda:2", cudaBytes: i => i switch { 0 => 80L << 30, 1 => 40L << 30, _ => null });

        Assert.Equal([80L << 30, 40L << 30, null], devices.Select(d => d.MemoryBytes));
    }

    [Fact]
    public void TheOperatorsCapLimitsWhatEveryDeviceReports()
    {
        var devices = DeviceSlots.Parse("cpu:2,cuda:0", ramBytes: 16L << 30, cudaBytes: _ => 80L << 30, capBytes: 6L << 30);

        Assert.Equal([6L << 30, 6L << 30, 6L << 30], devices.Select(d => d.MemoryBytes));
        Assert.Equal([2L << 30, 2L << 30], DeviceSlots.Parse("cpu:2", ramBytes: 4L << 30, capBytes: 6L << 30).Select(d => d.MemoryBytes));
    }

    [Fact]
    public void MeminfoGivesTheTotalAndAvailableRamInBytes()
    {
        const string meminfo = "MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   12288000 kB\nBuffers:           1234 kB\n";

        Assert.Equal((24576000L * 1024, 12288000L * 1024), HostMemory.ParseMeminfo(meminfo));
        Assert.Equal((null, null), HostMemory.ParseMeminfo("garbage\n"));
    }

    [Fact]
    public void ThisMachinesRamIsReadAndCappedByWhatTheProcessMayUse()
    {
        var ram = HostMemory.Read();

        Assert.True(ram.TotalBytes > 0 && ram.TotalBytes <= GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, $"{ram}");
        Assert.True(ram.AvailableBytes is null or > 0, $"{ram}");
    }

    [Fact]
    public void WithoutAnNvidiaDriverAGpuReportsNoMemoryAndWithOneItsTotal()
    {
        var driver = System.Runtime.InteropServices.NativeLibrary.TryLoad("libcuda.so.1", out var handle);
        if (driver) System.Runtime.InteropServices.NativeLibrary.Free(handle);

        var bytes = CudaMemory.TotalBytes(0);

        if (driver) Assert.True(bytes is null or > 0, $"{bytes}");
        else Assert.Null(bytes);
        Assert.Null(CudaMemory.TotalBytes(4096)); // no machine has that device
    }

    [Fact]
    public void CudaDevicesAreNamedByIndex()
    {
        var devices = DeviceSlots.Parse("cuda:0, cuda:1");

        Assert.Equal(["cuda:0", "cuda:1"], devices.Select(d => d.DeviceId));
        Assert.All(devices, d => Assert.Equal("cuda", d.Kind));
    }

    [Theory]
    [InlineData("", "no devices")]
    [InlineData("cpu:0", "N ≥ 1")]
    [InlineData("cuda:x", "device index")]
    [InlineData("tpu:0", "cpu:N or cuda:N")]
    [InlineData("cuda:0,cuda:0", "named twice")]
    public void MistakesAreRefusedWithTheReason(string text, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSlots.Parse(text));

        Assert.Contains(reason, error.Message);
    }
}
