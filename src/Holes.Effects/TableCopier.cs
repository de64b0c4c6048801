using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Holes.Effects;

/// <summary>
/// Copies every metadata table of an image into a <see cref="MetadataBuilder"/>, row by row and in order, so each row
/// keeps its number: tokens in the IL, in signatures and in the PDB stay valid. Strings and blobs are added again
/// (rows refer to them by handle, which the copy remaps; nothing outside the tables refers to those heaps).
/// </summary>
internal sealed class TableCopier
{
    private readonly MetadataReader _reader;
    private readonly MetadataBuilder _metadata;
    private readonly Dictionary<int, int> _bodies;
    private readonly Dictionary<int, int> _fieldData;
    private readonly Dictionary<StringHandle, StringHandle> _strings = new();
    private readonly Dictionary<BlobHandle, BlobHandle> _blobs = new();

    public TableCopier(MetadataReader reader, MetadataBuilder metadata, Dictionary<int, int> bodies, Dictionary<int, int> fieldData)
    {
        _reader = reader;
        _metadata = metadata;
        _bodies = bodies;
        _fieldData = fieldData;
    }

    /// <summary>Whether the image has no rows of the tables the copy leaves to Cecil (marshalling, P/Invoke, declarative security, files of a multi-module assembly, edit-and-continue).</summary>
    public static bool CanCopy(MetadataReader reader) =>
        reader.GetTableRowCount(TableIndex.FieldMarshal) == 0 && reader.GetTableRowCount(TableIndex.DeclSecurity) == 0 &&
        reader.GetTableRowCount(TableIndex.File) == 0 && reader.GetTableRowCount(TableIndex.EncLog) == 0 &&
        reader.GetTableRowCount(TableIndex.EncMap) == 0 && reader.GetTableRowCount(TableIndex.ImplMap) == 0;

    public void Copy()
    {
        var module = _reader.GetModuleDefinition();
        _metadata.AddModule(module.Generation, String(module.Name), Guid(module.Mvid), Guid(module.GenerationId), Guid(module.BaseGenerationId));

        foreach (var handle in _reader.TypeReferences)
        {
            var type = _reader.GetTypeReference(handle);
            _metadata.AddTypeReference(type.ResolutionScope, String(type.Namespace), String(type.Name));
        }

        CopyTypes();
        CopyMembers();

        foreach (var handle in _reader.MemberReferences)
        {
            var member = _reader.GetMemberReference(handle);
            _metadata.AddMemberReference(member.Parent, String(member.Name), Blob(member.Signature));
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.Constant); row++)
        {
            var constant = _reader.GetConstant(MetadataTokens.ConstantHandle(row));
            _metadata.AddConstant(constant.Parent, _reader.GetBlobReader(constant.Value).ReadConstant(constant.TypeCode));
        }

        foreach (var handle in _reader.CustomAttributes)
        {
            var attribute = _reader.GetCustomAttribute(handle);
            _metadata.AddCustomAttribute(attribute.Parent, attribute.Constructor, Blob(attribute.Value));
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.StandAloneSig); row++)
        {
            _metadata.AddStandaloneSignature(Blob(_reader.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(row)).Signature));
        }

        CopyEventsAndProperties();

        foreach (var handle in _reader.TypeDefinitions)
        {
            foreach (var implementation in _reader.GetTypeDefinition(handle).GetMethodImplementations())
            {
                var row = _reader.GetMethodImplementation(implementation);
                _metadata.AddMethodImplementation(handle, row.MethodBody, row.MethodDeclaration);
            }
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.ModuleRef); row++)
        {
            _metadata.AddModuleReference(String(_reader.GetModuleReference(MetadataTokens.ModuleReferenceHandle(row)).Name));
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            _metadata.AddTypeSpecification(Blob(_reader.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).Signature));
        }

        foreach (var handle in _reader.FieldDefinitions)
        {
            var rva = _reader.GetFieldDefinition(handle).GetRelativeVirtualAddress();
            if (rva != 0)
            {
                _metadata.AddFieldRelativeVirtualAddress(handle, _fieldData[rva]);
            }
        }

        if (_reader.IsAssembly)
        {
            var assembly = _reader.GetAssemblyDefinition();
            _metadata.AddAssembly(String(assembly.Name), assembly.Version, String(assembly.Culture), Blob(assembly.PublicKey), assembly.Flags, assembly.HashAlgorithm);
        }

        foreach (var handle in _reader.AssemblyReferences)
        {
            var reference = _reader.GetAssemblyReference(handle);
            _metadata.AddAssemblyReference(String(reference.Name), reference.Version, String(reference.Culture), Blob(reference.PublicKeyOrToken), reference.Flags, Blob(reference.HashValue));
        }

        foreach (var handle in _reader.ExportedTypes)
        {
            var exported = _reader.GetExportedType(handle);
            _metadata.AddExportedType(exported.Attributes, String(exported.Namespace), String(exported.Name), exported.Implementation, exported.GetTypeDefinitionId());
        }

        foreach (var handle in _reader.ManifestResources)
        {
            var resource = _reader.GetManifestResource(handle);
            _metadata.AddManifestResource(resource.Attributes, String(resource.Name), resource.Implementation, (uint)resource.Offset);
        }

        foreach (var handle in _reader.TypeDefinitions)
        {
            var declaring = _reader.GetTypeDefinition(handle).GetDeclaringType();
            if (!declaring.IsNil)
            {
                _metadata.AddNestedType(handle, declaring);
            }
        }

        CopyGenerics();
    }

    private void CopyTypes()
    {
        // A type's field and method lists start where the previous type's ended, also when it has none.
        var nextField = 1;
        var nextMethod = 1;
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            _metadata.AddTypeDefinition(type.Attributes, String(type.Namespace), String(type.Name), type.BaseType,
                MetadataTokens.FieldDefinitionHandle(nextField), MetadataTokens.MethodDefinitionHandle(nextMethod));
            nextField += type.GetFields().Count;
            nextMethod += type.GetMethods().Count;

            var layout = type.GetLayout();
            if (!layout.IsDefault)
            {
                _metadata.AddTypeLayout(handle, (ushort)layout.PackingSize, (uint)layout.Size);
            }

            foreach (var implementation in type.GetInterfaceImplementations())
            {
                _metadata.AddInterfaceImplementation(handle, _reader.GetInterfaceImplementation(implementation).Interface);
            }
        }
    }

    private void CopyMembers()
    {
        foreach (var handle in _reader.FieldDefinitions)
        {
            var field = _reader.GetFieldDefinition(handle);
            _metadata.AddFieldDefinition(field.Attributes, String(field.Name), Blob(field.Signature));
            if (field.GetOffset() is var offset and >= 0)
            {
                _metadata.AddFieldLayout(handle, offset);
            }
        }

        var nextParameter = 1;
        foreach (var handle in _reader.MethodDefinitions)
        {
            var method = _reader.GetMethodDefinition(handle);
            var body = method.RelativeVirtualAddress == 0 ? -1 : _bodies[method.RelativeVirtualAddress];
            _metadata.AddMethodDefinition(method.Attributes, method.ImplAttributes, String(method.Name), Blob(method.Signature), body,
                MetadataTokens.ParameterHandle(nextParameter));
            nextParameter += method.GetParameters().Count;
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.Param); row++)
        {
            var parameter = _reader.GetParameter(MetadataTokens.ParameterHandle(row));
            _metadata.AddParameter(parameter.Attributes, String(parameter.Name), parameter.SequenceNumber);
        }
    }

    private void CopyEventsAndProperties()
    {
        var semantics = new List<(int Association, EntityHandle Owner, MethodSemanticsAttributes Kind, MethodDefinitionHandle Method)>();
        var nextEvent = 1;
        var nextProperty = 1;
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            var events = type.GetEvents();
            if (events.Count > 0)
            {
                _metadata.AddEventMap(handle, MetadataTokens.EventDefinitionHandle(nextEvent));
                nextEvent += events.Count;
            }

            var properties = type.GetProperties();
            if (properties.Count > 0)
            {
                _metadata.AddPropertyMap(handle, MetadataTokens.PropertyDefinitionHandle(nextProperty));
                nextProperty += properties.Count;
            }
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.Event); row++)
        {
            var handle = MetadataTokens.EventDefinitionHandle(row);
            var @event = _reader.GetEventDefinition(handle);
            _metadata.AddEvent(@event.Attributes, String(@event.Name), @event.Type);
            var accessors = @event.GetAccessors();
            Semantic(semantics, row << 1, handle, MethodSemanticsAttributes.Adder, accessors.Adder);
            Semantic(semantics, row << 1, handle, MethodSemanticsAttributes.Remover, accessors.Remover);
            Semantic(semantics, row << 1, handle, MethodSemanticsAttributes.Raiser, accessors.Raiser);
            foreach (var other in accessors.Others)
            {
                Semantic(semantics, row << 1, handle, MethodSemanticsAttributes.Other, other);
            }
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.Property); row++)
        {
            var handle = MetadataTokens.PropertyDefinitionHandle(row);
            var property = _reader.GetPropertyDefinition(handle);
            _metadata.AddProperty(property.Attributes, String(property.Name), Blob(property.Signature));
            var accessors = property.GetAccessors();
            Semantic(semantics, (row << 1) | 1, handle, MethodSemanticsAttributes.Getter, accessors.Getter);
            Semantic(semantics, (row << 1) | 1, handle, MethodSemanticsAttributes.Setter, accessors.Setter);
            foreach (var other in accessors.Others)
            {
                Semantic(semantics, (row << 1) | 1, handle, MethodSemanticsAttributes.Other, other);
            }
        }

        // The table is sorted by association (events and properties interleave in its coded index).
        foreach (var (_, owner, kind, method) in semantics.OrderBy(s => s.Association))
        {
            _metadata.AddMethodSemantics(owner, kind, method);
        }
    }

    private static void Semantic(List<(int, EntityHandle, MethodSemanticsAttributes, MethodDefinitionHandle)> semantics, int association, EntityHandle owner,
        MethodSemanticsAttributes kind, MethodDefinitionHandle method)
    {
        if (!method.IsNil)
        {
            semantics.Add((association, owner, kind, method));
        }
    }

    private void CopyGenerics()
    {
        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.GenericParam); row++)
        {
            var parameter = _reader.GetGenericParameter(MetadataTokens.GenericParameterHandle(row));
            _metadata.AddGenericParameter(parameter.Parent, parameter.Attributes, String(parameter.Name), parameter.Index);
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var specification = _reader.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            _metadata.AddMethodSpecification(specification.Method, Blob(specification.Signature));
        }

        for (var row = 1; row <= _reader.GetTableRowCount(TableIndex.GenericParamConstraint); row++)
        {
            var constraint = _reader.GetGenericParameterConstraint(MetadataTokens.GenericParameterConstraintHandle(row));
            _metadata.AddGenericParameterConstraint(constraint.Parameter, constraint.Type);
        }
    }

    // The compiler writes each string and blob once and rows share them (a name, a signature): remapped once each,
    // not decoded and hashed again for every row that uses them.
    private StringHandle String(StringHandle handle) =>
        handle.IsNil ? default : Remapped(_strings, handle, static (self, h) => self._metadata.GetOrAddString(self._reader.GetString(h)));

    private BlobHandle Blob(BlobHandle handle) =>
        handle.IsNil ? default : Remapped(_blobs, handle, static (self, h) => self._metadata.GetOrAddBlob(self._reader.GetBlobBytes(h)));

    private THandle Remapped<THandle>(Dictionary<THandle, THandle> copies, THandle handle, Func<TableCopier, THandle, THandle> add)
        where THandle : struct
    {
        if (!copies.TryGetValue(handle, out var copy))
        {
            copy = add(this, handle);
            copies.Add(handle, copy);
        }

        return copy;
    }

    private GuidHandle Guid(GuidHandle handle) => handle.IsNil ? default : _metadata.GetOrAddGuid(_reader.GetGuid(handle));
}
