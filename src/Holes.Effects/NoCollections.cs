namespace Holes.Effects;

/// <summary>
/// Runs the build step without garbage collections. The step is a short batch run over one image whose data (the
/// module's metadata, Roslyn's symbols, the graph) stays alive until it exits, so every collection marks and promotes
/// a growing heap for nothing: on a 500-file program they were about a third of the step's CPU time.
/// </summary>
internal static class NoCollections
{
    // What the step allocates per byte of the image it reads, measured on the benchmark's 500-file program (about 70),
    // with room to spare; and the most it reserves, whatever the image, as a share of the memory the process may use.
    private const long BytesPerImageByte = 100;
    private const long MinimumBytes = 64L << 20;
    private const double MaximumShareOfMemory = 0.25;

    /// <summary>Starts a no-GC region sized for <paramref name="assemblyPath"/>, when the machine has the memory; otherwise nothing changes.</summary>
    public static void Start(string assemblyPath)
    {
        try
        {
            var budget = Math.Max(MinimumBytes, new FileInfo(assemblyPath).Length * BytesPerImageByte);
            var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (available > 0 && budget > available * MaximumShareOfMemory)
            {
                budget = (long)(available * MaximumShareOfMemory);
            }

            // If the step allocates more than the budget, the runtime collects and leaves the region: only slower.
            GC.TryStartNoGCRegion(budget);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException or IOException)
        {
            // Too large for this GC's configuration, already in a region, or the file is unreadable (the step reports
            // that itself): run with collections.
        }
    }

    /// <summary>Ends the region <see cref="Start"/> began, if the run is still in it, so that a long-lived process collects again.</summary>
    public static void End()
    {
        if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The run allocated past the region's budget: the runtime had already left it.
            }
        }
    }
}
