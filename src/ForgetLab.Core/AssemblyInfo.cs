namespace ForgetLab.Core;

/// <summary>Marker for the Core assembly (specs, results, analysis, scheduling policy).</summary>
public static class CoreAssembly;
