using System.Collections.Immutable;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
/// <remarks>
/// Assignments are found as syntax, not as operations: an operation action makes the analyzer driver build the
/// operation tree of every body in the program, binding each one a second time, even in a program that never stores a
/// capability. Syntax rules out most assignments (to locals, parameters and elements, of literals); the rest have
/// their target and value types bound (the statement, not the member), and only an assignment that could still store a
/// capability gets its operation, judged as an operation action would judge it.
/// </remarks>
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
            start.RegisterSyntaxNodeAction(AnalyzeAssignmentSyntax, SyntaxKind.SimpleAssignmentExpression, SyntaxKind.CoalesceAssignmentExpression);
        });
    }

    private static void AnalyzeAssignmentSyntax(SyntaxNodeAnalysisContext context)
    {
        var assignment = (AssignmentExpressionSyntax)context.Node;
        ExpressionSyntax left = Unparenthesized(assignment.Left);
        ExpressionSyntax right = Unparenthesized(assignment.Right);
        if (!MayBeMember(assignment, left) || IsPlainLiteral(right))
        {
            return;
        }

        SemanticModel model = context.SemanticModel;
        // Binds the statement (not the member) and builds no operations.
        if (Target(model.GetSymbolInfo(left, context.CancellationToken).Symbol) is not { } target
            || (!target.Member.IsStatic && !target.StoresInData)
            || (CapabilityTypes.FirstCarried(target.DeclaredType) is not null && target.Member.Locations.Length > 0 && target.Member.Locations[0].IsInSource))
        {
            return;
        }

        TypeInfo type = model.GetTypeInfo(right, context.CancellationToken);
        if (TypesDecide(right, type, model.GetConversion(right, context.CancellationToken))
            && CapabilityTypes.FirstCarried(type.Type) is null && CapabilityTypes.FirstCarried(type.ConvertedType) is null)
        {
            return;
        }

        if (model.GetOperation(assignment, context.CancellationToken) is IAssignmentOperation operation)
        {
            AnalyzeAssignment(operation, context.ReportDiagnostic);
        }
    }

    /// <summary>
    /// Whether the left side could be a field or property: not an element (an array element, or an indexer, which is
    /// never static and stores nothing of its own), not a deconstruction, not a name declared as a local or parameter.
    /// </summary>
    private static bool MayBeMember(AssignmentExpressionSyntax assignment, ExpressionSyntax left) => left switch
    {
        ElementAccessExpressionSyntax or ImplicitElementAccessSyntax or TupleExpressionSyntax or DeclarationExpressionSyntax => false,
        PrefixUnaryExpressionSyntax => false,

        // In an object or with initializer the name is a member of the created type, whatever the locals are called.
        IdentifierNameSyntax name => assignment.Parent is InitializerExpressionSyntax || !LocalScope.IsLocalOrParameter(name),
        _ => true,
    };

    /// <summary>
    /// A number, string, character or Boolean literal: its type carries no capability, nor does the type any standard
    /// conversion takes it to, so it stores none (<c>null</c> and <c>default</c> are not ruled out here: a
    /// user-defined conversion can start from a capability type).
    /// </summary>
    private static bool IsPlainLiteral(ExpressionSyntax right) => right.Kind() is SyntaxKind.NumericLiteralExpression or SyntaxKind.StringLiteralExpression
        or SyntaxKind.Utf8StringLiteralExpression or SyntaxKind.CharacterLiteralExpression or SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression;

    /// <summary>
    /// Whether the stored value's type (what <see cref="AnalyzeAssignment"/> looks at: the value before an implicit
    /// conversion) is the right side's type or its converted type. Not so for a lambda or method group (a delegate of
    /// its own type is created) or a user-defined conversion (it may start from another type); there the operation decides.
    /// </summary>
    private static bool TypesDecide(ExpressionSyntax right, TypeInfo type, Conversion conversion)
    {
        if (conversion.IsUserDefined || conversion.IsMethodGroup || conversion.IsAnonymousFunction || right is AnonymousFunctionExpressionSyntax)
        {
            return false;
        }

        // Without a type of its own, only target-typed forms whose operation takes the converted type.
        return type.Type is not null
            || right is LiteralExpressionSyntax or ImplicitObjectCreationExpressionSyntax or CollectionExpressionSyntax;
    }

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>The member an assignment to <paramref name="symbol"/> stores in, its declared type, and whether it is a data type's own storage.</summary>
    private static (ISymbol Member, ITypeSymbol DeclaredType, bool StoresInData)? Target(ISymbol? symbol) => symbol switch
    {
        IFieldSymbol field => (field.AssociatedSymbol ?? field, field.Type, !field.IsStatic && IsDataType(field.ContainingType)),
        IPropertySymbol property => (property, property.Type, !property.IsStatic && IsDataType(property.ContainingType) && HasBackingField(property)),
        _ => null,
    };

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

    private static void AnalyzeAssignment(IAssignmentOperation assignment, System.Action<Diagnostic> report)
    {
        IOperation value = assignment.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : assignment.Value;
        if (CapabilityTypes.FirstCarried(value.Type) is not { } capability)
        {
            return;
        }

        ISymbol? stored = assignment.Target switch
        {
            IFieldReferenceOperation { Field: var field } => field,
            IPropertyReferenceOperation { Property: var property } => property,
            _ => null,
        };
        if (Target(stored) is not { } target)
        {
            return;
        }

        (ISymbol member, ITypeSymbol declaredType, bool storesInData) = target;

        if (!member.IsStatic && !storesInData)
        {
            return;
        }

        // A member declared in this program with a capability type is reported once, at its declaration.
        if (CapabilityTypes.FirstCarried(declaredType) is not null && member.Locations.Length > 0 && member.Locations[0].IsInSource)
        {
            return;
        }

        report(Diagnostic.Create(
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
