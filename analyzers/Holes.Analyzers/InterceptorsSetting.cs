using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Holes.Analyzers;

/// <summary>
/// Whether the project lets the compiler accept the Holes interceptors: the namespace <c>Holes.Generated</c> must be
/// listed in <c>InterceptorsNamespaces</c> (or the older <c>InterceptorsPreviewNamespaces</c>). The package's props make
/// both properties visible to analyzers; the compiler also receives them as parse-option features, which are read too,
/// so the answer is right in hosts that do not pass the MSBuild properties on.
/// </summary>
internal sealed class InterceptorsSetting
{
    public const string Namespace = "Holes.Generated";
    public const string Property = "InterceptorsNamespaces";
    public const string PreviewProperty = "InterceptorsPreviewNamespaces";

    private readonly string? _namespaces;
    private readonly string? _previewNamespaces;

    private InterceptorsSetting(string? namespaces, string? previewNamespaces)
    {
        _namespaces = namespaces;
        _previewNamespaces = previewNamespaces;
    }

    public static InterceptorsSetting Read(AnalyzerConfigOptions globalOptions)
    {
        globalOptions.TryGetValue("build_property." + Property, out string? namespaces);
        globalOptions.TryGetValue("build_property." + PreviewProperty, out string? previewNamespaces);
        return new InterceptorsSetting(namespaces, previewNamespaces);
    }

    /// <summary>Whether interceptors in <c>Holes.Generated</c> are accepted in <paramref name="tree"/>.</summary>
    public bool IsEnabled(SyntaxTree tree)
    {
        if (Lists(_namespaces) || Lists(_previewNamespaces))
        {
            return true;
        }

        IReadOnlyDictionary<string, string> features = tree.Options.Features;
        return (features.TryGetValue(Property, out string? feature) && Lists(feature))
            || (features.TryGetValue(PreviewProperty, out string? previewFeature) && Lists(previewFeature));
    }

    /// <summary>What the property holds, for the message: <c>not set</c> or the value in quotes.</summary>
    public string Describe() => string.IsNullOrWhiteSpace(_namespaces) ? "not set" : "'" + _namespaces!.Trim() + "'";

    private static bool Lists(string? namespaces)
    {
        if (namespaces is null)
        {
            return false;
        }

        foreach (string part in namespaces.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part.Trim(), Namespace, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
