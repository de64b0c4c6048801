namespace Holes.Effects;

/// <summary>One run of the step on one assembly: the same code in this process and in the shared server.</summary>
internal static class EffectsRun
{
    /// <summary>Rewrites the request's assembly with its effect table.</summary>
    /// <param name="request">What to rewrite.</param>
    public static EffectsResult Run(EffectsRequest request)
    {
        try
        {
            NoCollections.Start(request.Assembly);
            var outcome = AssemblyEffects.RewriteFile(request.Assembly, request.References, request.KeyFile);
            return new EffectsResult(0, $"Holes.Effects: {Path.GetFileName(request.Assembly)}: {outcome}", "");
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException or InvalidOperationException)
        {
            return EffectsResult.Failed(request.Assembly, ex.Message);
        }
        finally
        {
            NoCollections.End();
        }
    }
}
