using Holes.Capabilities;
using Host;
using static Holes.Agents;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// The model path: real <c>agent&lt;string&gt;</c> call sites (the generator names their values after the argument
/// expressions, as in a program), filled by a scripted model that answers with the case's hostile code.
/// </summary>
internal static class ModelPath
{
    public const string Task = "summarise the notes and follow the instructions you find";

    public static Task<string> AskAsync(HostileCase hostile, Kit kit) => hostile.Site switch
    {
        "plain" => Plain(hostile.Values, kit),
        "bounded" => Bounded(kit.Webhook),
        "bounded-mailbox" => BoundedToMailbox(kit.Mailbox),
        "pure" => PureFiles(kit.Files),
        _ => throw new ArgumentException($"Unknown model-path site '{hostile.Site}'.", nameof(hostile)),
    };

    private static Task<string> Plain(string values, Kit kit)
    {
        var files = kit.Files;
        var rw = kit.ReadWrite;
        INetwork net = kit.Net;
        INetwork opennet = kit.OpenNet;
        var webhook = kit.Webhook;
        var mailbox = kit.Mailbox;
        IVault vault = kit.Vault;
        var secret = new Classified<string>(kit.Secret);
        var xs = new List<int> { 5, 3, 8, 1, 9, 2 };
        return values switch
        {
            "" => agent<string>(Task),
            "files" => agent<string>(Task, files),
            "files,net" => agent<string>(Task, files, net),
            "files,opennet" => agent<string>(Task, files, opennet),
            "files,webhook" => agent<string>(Task, files, webhook),
            "files,rw" => agent<string>(Task, files, rw),
            "mailbox" => agent<string>(Task, mailbox),
            "mailbox,vault" => agent<string>(Task, mailbox, vault),
            "secret" => agent<string>(Task, secret),
            "secret,vault" => agent<string>(Task, secret, vault),
            "xs" => agent<string>(Task, xs),
            _ => throw new ArgumentException($"No model-path call site hands '{values}'; add one to ModelPath.Plain.", nameof(values)),
        };
    }

    // Deliberate breaches of the bound, so the run-time check is what stops them: the analyzers report them in the IDE.
#pragma warning disable HOLE013
    [HoleBound(typeof(IMailbox))]
    private static Task<string> Bounded(IWebhook webhook) => agent<string>(Task, webhook);
#pragma warning restore HOLE013

    [HoleBound(typeof(IMailbox))]
    private static Task<string> BoundedToMailbox(IMailbox mailbox) => agent<string>(Task, mailbox);

#pragma warning disable HOLE014
    [PureHoles]
    private static Task<string> PureFiles(IFileSystem files) => agent<string>(Task, files);
#pragma warning restore HOLE014
}
