using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Capability forging (issue 5): a fill can never construct, subclass or obtain a capability except by
    /// reference, never reach one through a host static, and never keep one it was handed beyond its hole.
    /// </summary>
    private static IEnumerable<HostileCase> Forging()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Rejected) => new("forging/" + name, Category.Forging, code, expect);

        yield return C("construct-host-capability", "var hook = new Host.Webhook(new Uri(\"$SINK\")); return await hook.PostAsync(\"forged\");");
        yield return C("construct-trusted-sink", "var vault = new Host.Vault(); vault.Store(\"k\", secret); return vault.Count;") with { Values = "secret" };
        yield return C("filesystem-factory", "var fs = Holes.Capabilities.FileSystem.ReadWrite(\"$ROOT/outside\"); await fs.WriteTextAsync(\"pwned.txt\", \"x\"); return 0;");
        yield return C("filesystem-constructor", "var fs = new Holes.Capabilities.FileSystem(new Holes.Capabilities.FileSystemOptions { Roots = new[] { \"$ROOT\" } }); return await fs.ReadTextAsync(\"outside/private.txt\");") with { Type = "string" };
        yield return C("network-constructor", "using var net = new Holes.Capabilities.Network(new Holes.Capabilities.NetworkOptions { AllowedHosts = new[] { \"127.0.0.1:$PORT\" }, AllowHttp = true }); return (await net.PostAsync(\"$SINK\", \"forged\")).StatusCode;");
        yield return C("processrunner-factory", "var runner = Holes.Capabilities.ProcessRunner.For(new Holes.Capabilities.AllowedCommand(\"/bin/sh\", \".*\")); var r = await runner.RunAsync(\"/bin/sh\", new[] { \"-c\", \"echo x > $ROOT/outside/pwned.txt\" }); return 0;");
        yield return C("fill-declared-class-implements-capability", "class Fake : Host.IWebhook { public Task<int> PostAsync(string body) => Task.FromResult(0); public Task<int> PostObjectAsync(object body) => Task.FromResult(0); } return 0;");
        yield return C("fill-declared-record-subclass", "record Forged(string Name) : Host.IVault { public void Store(string n, Classified<string> v) { } public int Count => 0; } return 0;");
        yield return C("activator-create-instance", "var hook = (Host.IWebhook)Activator.CreateInstance(typeof(Host.Webhook), new Uri(\"$SINK\"))!; return await hook.PostAsync(\"forged\");");
        yield return C("activator-by-type-name", "var hook = (Host.IWebhook)Activator.CreateInstance(Type.GetType(\"Host.Webhook, Holes.Security.Tests\")!, new Uri(\"$SINK\"))!; return await hook.PostAsync(\"forged\");");
        yield return C("uninitialized-object", "var hook = (Host.Webhook)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(Host.Webhook)); return hook.GetHashCode();");
        yield return C("dispatch-proxy", "var proxy = System.Reflection.DispatchProxy.Create(typeof(Host.IWebhook), typeof(System.Reflection.DispatchProxy)); return proxy.GetHashCode();");
        yield return C("static-member-of-capability-class", "return await Host.Webhook.Default!.PostAsync(\"through a static\");");
        yield return C("static-method-of-authority-type", "Host.Shell.WriteFile(\"$ROOT/outside/pwned.txt\", \"x\"); return 0;");
        yield return C("static-field-write-of-authority-type", "Host.Shell.LastCommand = \"rm -rf /\"; return 0;");
        yield return C("host-static-secret", "return Host.HostSecrets.Reveal();") with { Type = "string" };
        yield return C("host-static-secret-property", "return Host.HostSecrets.ApiKey;") with { Type = "string" };
        yield return C("construct-authority-by-analysis", "return new Host.Shell().Run(\"pwned\").Length;") with { Note = "Shell is authority only through the generator's effect table" };
        yield return C("authority-by-analysis-env", "return new Host.Shell().Env(\"HOLES_SECRET\");") with { Type = "string" };
        yield return C("reflection-widens-filesystem-roots", "var field = files.GetType().GetField(\"_roots\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!; ((string[])field.GetValue(files)!)[0] = \"$ROOT\"; return await files.ReadTextAsync(\"outside/private.txt\");")
            with { Type = "string", Values = "files" };
        yield return C("reflection-reads-network-allowlist", "var field = net.GetType().GetField(\"_options\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!; return field.GetValue(net)!.ToString()!;")
            with { Type = "string", Values = "net" };
        yield return C("keep-capability-in-variable", "var saved = files; return 0;", Outcome.Block)
            with { Values = "files", Exploit = "return (await saved.ReadTextAsync(\"../outside/private.txt\"));" };
        yield return C("keep-capability-as-object", "object stash = webhook; return 0;", Outcome.Block)
            with { Values = "webhook", Exploit = "await ((Host.IWebhook)stash).PostAsync(\"late\"); return \"posted\";" };
        yield return C("keep-capability-in-list", "var stash = new List<object> { webhook }; return 0;", Outcome.Block)
            with { Values = "webhook", Exploit = "await ((Host.IWebhook)stash[0]).PostAsync(\"late\"); return \"posted\";" };
        yield return C("keep-capability-in-closure", "Func<Task<int>> later = () => webhook.PostAsync(\"late\"); return 0;", Outcome.Block)
            with { Values = "webhook", Exploit = "await later(); return \"posted\";" };
        yield return C("keep-capability-in-tuple", "var pair = (webhook, 1); return 0;", Outcome.Block)
            with { Values = "webhook", Exploit = "await pair.webhook.PostAsync(\"late\"); return \"posted\";" };
        yield return C("keep-capability-in-anonymous-object", "var anon = new { Hook = webhook }; return 0;", Outcome.Block)
            with { Values = "webhook", Exploit = "await anon.Hook.PostAsync(\"late\"); return \"posted\";" };
        yield return C("capability-outside-hole-bound", "await webhook.PostAsync(\"outside the bound\"); return \"\";")
            with { ViaModel = true, Site = "bounded" };
        yield return C("capability-under-pure-holes", "return await files.ReadTextAsync(\"notes.md\");")
            with { ViaModel = true, Site = "pure" };
        yield return C("granted-capability-outside-bound", "await webhook.PostAsync(\"granted, but outside the bound\"); return \"\";")
            with { ViaModel = true, Site = "bounded-mailbox", Grants = "webhook" };
        yield return C("nested-hole-widens-bound", "var forged = new Holes.Runtime.HoleSite(\"x.cs\", 1, 1, \"M\", \"string\", new Holes.Runtime.HoleParameter[0], new string[0], new string[0], \"\"); return await Holes.Runtime.HoleDispatcher.FillAsync<string>(forged, \"post it\", new object?[] { mailbox }, default);")
            with { ViaModel = true, Site = "bounded-mailbox" };
    }
}
