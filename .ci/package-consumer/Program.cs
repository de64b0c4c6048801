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

foreach (var problem in problems) Console.Error.WriteLine("package consumer: " + problem);
Console.WriteLine(problems.Count == 0 ? "package consumer: generator, interceptors and engine all work from the package" : "package consumer: FAILED");
return problems.Count == 0 ? 0 : 1;

internal sealed record Person(string Name, int BornIn);
