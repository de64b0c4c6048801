using System.Collections.Immutable;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Analyzers;

/// <summary>
/// HOLE016: a capability stored where it outlives the scope that was granted it: in a static field or property
/// (ambient authority any code can reach), or in a field or auto-property of a data type (a type that is not a
/// capability, which holes may construct and receive freely and which carries the capability wherever it goes).
/// Reported on the declaration when its type carries a capability, and on an assignment that stores one in a
/// static or data-type member declared as some other type (<c>object</c>, an unmarked interface).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapabilityStorageAnalyzer : DiagnosticAnalyzer
{
    private const string InStatic = "in static state, where any code can reach it and it outlives every scope that was granted it";
    private const string StaticRemedy = "pass it as a parameter to the code that needs it, or hand it to the hole, instead";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CapabilityStored);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (HolesSymbols.TryCreate(start.Compilation) is null)
            {
                return;
            }

            start.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
            start.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
            start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment, OperationKind.CoalesceAssignment);
        });
    }

    private static void AnalyzeField(SymbolAnalysisContext context)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (field.IsImplicitlyDeclared || field.IsConst || CapabilityTypes.FirstCarried(field.Type) is not { } capability)
        {
            return;
        }

        if (field.IsStatic)
        {
            Report(context, field, capability, InStatic, StaticRemedy);
        }
        else if (IsDataType(field.ContainingType))
        {
            Report(context, field, capability, InData(field.ContainingType), DataRemedy(field.ContainingType));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext context)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (property.IsAbstract || property.IsIndexer || property.IsImplicitlyDeclared
            || CapabilityTypes.FirstCarried(property.Type) is not { } capability)
        {
            return;
        }

        if (property.IsStatic)
        {
            Report(context, property, capability, InStatic, StaticRemedy);
        }
        else if (IsDataType(property.ContainingType) && HasBackingField(property))
        {
            Report(context, property, capability, InData(property.ContainingType), DataRemedy(property.ContainingType));
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (IAssignmentOperation)context.Operation;
        IOperation value = assignment.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : assignment.Value;
        if (CapabilityTypes.FirstCarried(value.Type) is not { } capability)
        {
            return;
        }

        ISymbol member;
        ITypeSymbol declaredType;
        bool storesInData;
        switch (assignment.Target)
        {
            case IFieldReferenceOperation { Field: var field }:
                member = field.AssociatedSymbol ?? field;
                declaredType = field.Type;
                storesInData = !field.IsStatic && IsDataType(field.ContainingType);
                break;
            case IPropertyReferenceOperation { Property: var property }:
                member = property;
                declaredType = property.Type;
                storesInData = !property.IsStatic && IsDataType(property.ContainingType) && HasBackingField(property);
                break;
            default:
                return;
        }

        if (!member.IsStatic && !storesInData)
        {
            return;
        }

        // A member declared in this program with a capability type is reported once, at its declaration.
        if (CapabilityTypes.FirstCarried(declaredType) is not null && member.Locations.Length > 0 && member.Locations[0].IsInSource)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.CapabilityStored,
            assignment.Syntax.GetLocation(),
            Display.Symbol(member),
            Display.Type(capability),
            member.IsStatic ? InStatic : InData(member.ContainingType),
            member.IsStatic ? StaticRemedy : DataRemedy(member.ContainingType)));
    }

    private static void Report(SymbolAnalysisContext context, ISymbol member, ITypeSymbol capability, string where, string remedy)
    {
        if (member.Locations.Length == 0 || !member.Locations[0].IsInSource)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.CapabilityStored, member.Locations[0], Display.Symbol(member), Display.Type(capability), where, remedy));
    }

    /// <summary>A type that is not a capability: holes may construct it and receive it as plain data.</summary>
    private static bool IsDataType(INamedTypeSymbol? type) => type is not null && !CapabilityFacts.IsCapability(type);

    private static string InData(INamedTypeSymbol type)
        => $"in '{Display.Type(type)}', a data type that holes may construct and receive, and that carries the capability wherever it goes";

    private static string DataRemedy(INamedTypeSymbol type)
        => $"mark '{Display.Type(type)}' [Capability] so it is treated as the authority it is, or pass the capability as a parameter instead";

    /// <summary>An auto-property (or one using <c>field</c>): it stores its value. Only known for properties declared in source.</summary>
    private static bool HasBackingField(IPropertySymbol property)
    {
        foreach (ISymbol member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return true;
            }
        }

        return false;
    }
}
