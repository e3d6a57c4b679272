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
