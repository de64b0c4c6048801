using System.Collections.Concurrent;
using System.Globalization;
using Holes.Pipeline.Prompt;
using Holes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Holes.Benchmarks;

/// <summary>
/// What a hole costs in input tokens, and what it costs once providers' prompt caching applies. The Quickstart
/// gallery is played as one session, in this process, exactly as <c>dotnet run --project samples/Quickstart</c> plays
/// it (the sample's own program, its generated sites and its recorded fills), once with the prompt layout of today
/// and once with the per-hole layout that came before it. Every request the holes send is counted with the o200k
/// tokenizer (the GPT-4o and GPT-4.1 family's).
/// </summary>
/// <remarks>
/// The caching rule applied is the one OpenAI documents (Anthropic's minimum is the same for its larger models): a
/// request's longest token prefix shared with an earlier request of the session is cached only from 1,024 tokens,
/// in steps of 128 tokens, and cached tokens are billed at a tenth. Only the messages are counted (the response
/// schema, the same for every request, is not); each message costs its text's tokens plus 4 for its role framing
/// (<c>&lt;|im_start|&gt;role&lt;|im_sep|&gt;…&lt;|im_end|&gt;</c>).
/// </remarks>
internal static class PromptCost
{
    public const double ReductionTarget = 0.40;
    public const int CacheMinimum = 1024;
    public const int CacheStep = 128;
    public const double CachedPrice = 0.1;

    public static async Task RunAsync(Summary summary)
    {
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var recordings = Recordings();
        Console.WriteLine($"== Prompt cost: the Quickstart gallery as one session, replaying {recordings}; o200k tokens per request");

        var beforeRequests = await PlayAsync(recordings, PromptLayout.PerHole);
        var afterRequests = await PlayAsync(recordings, PromptLayout.SessionContext);
        var before = Cost(beforeRequests, tokenizer);
        var after = Cost(afterRequests, tokenizer);
        if (Environment.GetEnvironmentVariable("HOLES_BENCH_PROMPTS") is { Length: > 0 } folder)
        {
            Dump(Path.Combine(folder, "per-hole"), beforeRequests);
            Dump(Path.Combine(folder, "session-context"), afterRequests);
            Console.WriteLine($"   every request written to {folder} (HOLES_BENCH_PROMPTS)");
        }

        Console.WriteLine($"   system message: {Tokens(tokenizer, SystemPrompt.Text)} tokens ({Tokens(tokenizer, SystemPrompt.PerHoleText)} in the per-hole layout); " +
                          $"the first hole's message {Tokens(tokenizer, HoleRequest.From(afterRequests[0]).Prompt)} ({Tokens(tokenizer, HoleRequest.From(beforeRequests[0]).Prompt)})");
        Console.WriteLine();
        Console.WriteLine("   per hole (all its attempts)                |  per-hole layout (before)   |  session-context layout (now)");
        Console.WriteLine("   #  site                 att  task           |   input  cached  effective  |   input  cached  effective");
        var rows = after.Holes.Select((hole, i) => (Hole: hole, Before: before.Holes.FirstOrDefault(b => b.Key == hole.Key), Index: i + 1));
        foreach (var (hole, old, index) in rows)
        {
            Console.WriteLine(
                $"  {index,2}  {Cut(hole.Site, 20),-20} {hole.Attempts,3}  {Cut(hole.Task, 14),-14} | " +
                $"{N(old?.Input),7} {N(old?.Cached),7} {N(old?.Effective),10}  | {N(hole.Input),7} {N(hole.Cached),7} {N(hole.Effective),10}");
        }

        Console.WriteLine($"   totals ({after.Holes.Count} holes, {after.Requests} requests)            | {N(before.Input),7} {N(before.Cached),7} {N(before.Effective),10}  | " +
                          $"{N(after.Input),7} {N(after.Cached),7} {N(after.Effective),10}");
        if (before.Holes.Count != after.Holes.Count || before.Requests != after.Requests)
        {
            Console.WriteLine($"   NOTE: the layouts reached different holes or requests ({before.Holes.Count} holes / {before.Requests} requests before, " +
                              $"{after.Holes.Count} / {after.Requests} now); the comparison per hole is not like for like.");
        }

        var perHoleBefore = before.Effective / before.Holes.Count;
        var perHoleAfter = after.Effective / after.Holes.Count;
        var reduction = 1 - (perHoleAfter / perHoleBefore);
        summary.Figure("prompt: input tokens per hole, per-hole layout", Timing.F(before.Input / before.Holes.Count, "F0"));
        summary.Figure("prompt: input tokens per hole, session-context layout", Timing.F(after.Input / after.Holes.Count, "F0"));
        summary.Figure("prompt: effective input tokens per hole, per-hole layout", Timing.F(perHoleBefore, "F0"));
        summary.Figure("prompt: effective input tokens per hole, session-context layout", Timing.F(perHoleAfter, "F0"));
        summary.Check("prompt: effective input tokens per hole, reduction", Timing.F(reduction * 100, "F1") + "%",
            $">= {ReductionTarget * 100:F0}%", reduction >= ReductionTarget);
    }

    /// <summary>Writes each request as a text file, its messages one after the other, to compare the layouts by eye.</summary>
    private static void Dump(string folder, IReadOnlyList<IReadOnlyList<ChatMessage>> requests)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < requests.Count; i++)
        {
            var text = string.Concat(requests[i].Select(m => $"===== {m.Role} =====\n{m.Text}\n"));
            File.WriteAllText(Path.Combine(folder, $"{i + 1:D2}.txt"), text);
        }
    }

    private static string Recordings()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "recordings.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Quickstart's recordings.json is not beside the benchmark ({path}); build the benchmark project, which copies it.", path);
        }

        return path;
    }

    /// <summary>Runs the Quickstart program in this process, replaying <paramref name="recordings"/>, and returns every request it sent.</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<ChatMessage>>> PlayAsync(string recordings, PromptLayout layout)
    {
        var requests = new ConcurrentQueue<IReadOnlyList<ChatMessage>>();
        var variables = new[] { "HOLES_PROVIDER", "HOLES_BASE_URL", "HOLES_RECORD", "HOLES_REPLAY" };
        var saved = variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        var output = Console.Out;
        var error = Console.Error;
        ModelSelection.Wrap = inner => new CapturingChatClient(inner, requests);
        PromptLayouts.Override = layout;
        try
        {
            foreach (var variable in variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            Environment.SetEnvironmentVariable("HOLES_REPLAY", recordings);
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            var entry = typeof(ModelSelection).Assembly.EntryPoint ?? throw new InvalidOperationException("The Quickstart assembly has no entry point.");
            var exit = await Task.Run(() => (int)entry.Invoke(null, [Array.Empty<string>()])!);
            if (exit != 0)
            {
                throw new InvalidOperationException($"The Quickstart gallery exited with {exit} under the {layout} layout; run it with `dotnet run --project samples/Quickstart` to see why.");
            }
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
            ModelSelection.Wrap = null;
            PromptLayouts.Override = null;
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }

        return [.. requests];
    }

    private static Run Cost(IReadOnlyList<IReadOnlyList<ChatMessage>> requests, Tokenizer tokenizer)
    {
        var earlier = new List<int[]>();
        var holes = new List<HoleCost>();
        var byPrompt = new Dictionary<string, HoleCost>(StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var messages in requests)
        {
            var request = HoleRequest.From(messages);
            var tokens = Tokenize(messages, tokenizer);
            var shared = earlier.Count == 0 ? 0 : earlier.Max(e => CommonPrefix(e, tokens));
            var cached = shared < CacheMinimum ? 0 : CacheMinimum + ((shared - CacheMinimum) / CacheStep * CacheStep);
            earlier.Add(tokens);

            var conversation = request.Task + "\n" + request.Prompt;
            if (request.Attempt <= 1 || !byPrompt.TryGetValue(conversation, out var hole))
            {
                occurrences[request.Task] = occurrences.GetValueOrDefault(request.Task) + 1;
                hole = new HoleCost($"{request.Task}#{occurrences[request.Task]}", request.Site, request.Task);
                byPrompt[conversation] = hole;
                holes.Add(hole);
            }

            hole.Attempts++;
            hole.Input += tokens.Length;
            hole.Cached += cached;
            hole.Effective += tokens.Length - cached + (cached * CachedPrice);
        }

        return new Run(holes, requests.Count);
    }

    /// <summary>A request as token ids: each message framed by its role, as the provider's chat template frames it.</summary>
    private static int[] Tokenize(IReadOnlyList<ChatMessage> messages, Tokenizer tokenizer)
    {
        var ids = new List<int>(4096);
        foreach (var message in messages)
        {
            // Framing tokens outside the vocabulary: <|im_start|>, the role, <|im_sep|> ... <|im_end|>.
            ids.Add(-1);
            ids.Add(message.Role == ChatRole.System ? -10 : message.Role == ChatRole.Assistant ? -11 : -12);
            ids.Add(-2);
            ids.AddRange(tokenizer.EncodeToIds(message.Text));
            ids.Add(-3);
        }

        return [.. ids];
    }

    private static int CommonPrefix(int[] a, int[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static int Tokens(Tokenizer tokenizer, string text) => tokenizer.CountTokens(text);

    private static string N(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private sealed record Run(List<HoleCost> Holes, int Requests)
    {
        public double Input => Holes.Sum(h => h.Input);

        public double Cached => Holes.Sum(h => h.Cached);

        public double Effective => Holes.Sum(h => h.Effective);
    }

    private sealed class HoleCost(string key, string site, string task)
    {
        public string Key { get; } = key;

        public string Site { get; } = site;

        public string Task { get; } = task;

        public int Attempts { get; set; }

        public double Input { get; set; }

        public double Cached { get; set; }

        public double Effective { get; set; }
    }

    /// <summary>Passes every request through, after recording its messages as they were sent.</summary>
    private sealed class CapturingChatClient(IChatClient inner, ConcurrentQueue<IReadOnlyList<ChatMessage>> requests) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> list = [.. messages];
            requests.Enqueue(list);
            return base.GetResponseAsync(list, options, cancellationToken);
        }
    }
}
