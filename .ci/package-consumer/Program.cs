using Holes;
using Holes.Testing;
using static Holes.Agents;

// Two holes through a scripted model, as a package consumer writes them.
var model = new ScriptedChatClient()
    .ReplyWithCode("return xs.Where(x => x % 2 == 0).ToList();")
    .ReplyWithCode("return new Person(\"Ada Lovelace\", 1815);");
await using var session = new AgentSession(model);
AgentSession.Current = session;

var xs = new List<int> { 1, 2, 3, 4 };
List<int> evens = await agent<List<int>>("keep the even numbers", xs);
Person ada = await agent<Person>("basic facts about Ada Lovelace");

var problems = new List<string>();
if (!evens.SequenceEqual([2, 4])) problems.Add($"evens were [{string.Join(", ", evens)}]");
if (ada != new Person("Ada Lovelace", 1815)) problems.Add($"the person was {ada}");

// Only the generator knows the argument was called 'xs' and where the call is: the runtime alone says 'value0'.
var prompt = model.Requests[0].Prompt;
if (!prompt.Contains("`xs`", StringComparison.Ordinal)) problems.Add("the hole's value was not named xs: the call was not intercepted");
if (!prompt.Contains("Program.cs", StringComparison.Ordinal)) problems.Add("the hole's site was not named after Program.cs");

// The isolated executor from the package: the worker was copied beside this program by the package's targets.
var isolatedModel = new ScriptedChatClient().ReplyWithCode("return xs.Sum();");
await using (var isolated = new AgentSession(isolatedModel, new HoleOptions { Isolation = HoleIsolation.Process }))
{
    AgentSession.Current = isolated;
    var sum = await agent<int>("add up xs", xs);
    if (sum != 10) problems.Add($"the isolated sum was {sum}");
    Console.WriteLine($"package consumer: isolated worker protections: {isolated.Protections}");
    if (!isolated.Protections.HasFlag(HoleProtections.Killable)) problems.Add("the isolated worker is not reported killable");
}

foreach (var problem in problems) Console.Error.WriteLine("package consumer: " + problem);
Console.WriteLine(problems.Count == 0 ? "package consumer: generator, interceptors, engine and isolated worker all work from the package" : "package consumer: FAILED");
return problems.Count == 0 ? 0 : 1;

internal sealed record Person(string Name, int BornIn);
