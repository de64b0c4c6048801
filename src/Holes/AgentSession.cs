using System.Runtime.CompilerServices;
using Holes.Execution;
using Holes.Execution.Isolated;
using Holes.Pipeline;
using Holes.Pipeline.Commit;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Holes;

/// <summary>
/// A persistent context in which holes are filled: the model, the options, and the variables that accepted fills
/// declared. Make it ambient with <see cref="Current"/> or <see cref="Enter"/>, or the process-wide
/// <see cref="Default"/>, so <c>agent&lt;T&gt;</c> calls find it.
/// </summary>
/// <example>
/// <code>
/// await using var session = new AgentSession(chatClient);
/// AgentSession.Current = session;
/// List&lt;int&gt; primes = await agent&lt;List&lt;int&gt;&gt;("keep only the prime numbers in xs", xs);
/// </code>
/// </example>
public sealed partial class AgentSession : IAsyncDisposable
{
    private static readonly AsyncLocal<AgentSession?> s_current = new();

    private readonly VariableStore _variables = new();
    private readonly StatsCounters _stats = new();
    private readonly IsolatedRunner? _isolated;
    private int _disposed;

    /// <summary>The key of the session's own chat client among <see cref="Models"/>: <c>default</c>.</summary>
    public const string DefaultModelKey = "default";

    private static readonly IReadOnlyDictionary<string, AgentModel> s_noModels = new Dictionary<string, AgentModel>();

    /// <summary>Creates a session that fills holes with <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">Any <see cref="IChatClient"/>: OpenAI, Azure OpenAI, Ollama, Anthropic, or a test client.</param>
    /// <param name="options">How holes are filled; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where the hole lifecycle's log events go (category <c>Holes</c>); <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="HoleOptions.Isolation"/> is <see cref="HoleIsolation.Process"/> and the worker (Holes.Worker.dll) is
    /// not beside the application.
    /// </exception>
    public AgentSession(IChatClient chatClient, HoleOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(chatClient, s_noModels, options, loggerFactory)
    {
    }

    /// <summary>
    /// Creates a session with several models: <paramref name="chatClient"/> is the default (key
    /// <see cref="DefaultModelKey"/>), and <paramref name="models"/> are the others, by key. A hole picks one per scope
    /// (<see cref="UseModel"/>), per method (<see cref="HoleModelAttribute"/>), or, inside a fill, by the fill's own
    /// choice for its nested holes (<c>using (model("fast")) { ... }</c>); fills see each model's key and description.
    /// </summary>
    /// <param name="chatClient">The default model's client.</param>
    /// <param name="models">The other models, by key; a key is any non-blank text except <c>default</c>.</param>
    /// <param name="options">How holes are filled; <see langword="null"/> for the defaults. <see cref="HoleOptions.ChatOptions"/>' model id applies to the default model only.</param>
    /// <param name="loggerFactory">Where the hole lifecycle's log events go (category <c>Holes</c>); <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="models"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is blank or <c>default</c>, or a model is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public AgentSession(IChatClient chatClient, IReadOnlyDictionary<string, AgentModel> models, HoleOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(models);
        foreach (var (key, model) in models)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim() != key)
            {
                throw new ArgumentException($"The model key \"{key}\" is blank or has spaces around it; use a short word such as \"fast\" or \"strong\".", nameof(models));
            }

            if (key == DefaultModelKey)
            {
                throw new ArgumentException($"\"{DefaultModelKey}\" is the key of the session's own chat client (the first argument); give this model another key.", nameof(models));
            }

            if (model is null)
            {
                throw new ArgumentException($"The model under the key \"{key}\" is null.", nameof(models));
            }
        }

        Options = options ?? new HoleOptions();
        Options.Validate();
        ChatClient = chatClient;
        if (Options.Isolation == HoleIsolation.Process)
        {
            _isolated = new IsolatedRunner(this, Options, _variables);
            Runner = _isolated;
        }
        else
        {
            Runner = new InProcessRunner(Options.Timeout);
        }

        Telemetry = new SessionTelemetry(Options, loggerFactory);
        Engine = new HoleEngine(this, chatClient, models, Options, _variables, _stats, Telemetry);
        Models = Engine.Models.All.ToDictionary(m => m.Key, m => new AgentModel(m.Client, m.Description), StringComparer.Ordinal);

        // The worker starts now, in the background, so the first hole finds it ready.
        _isolated?.Start();

        // Start reading metadata and JIT-ing the compiler now, so the first hole pays only for the model.
        _ = CompilerWarmup.Start();
    }

    /// <summary>
    /// The session's models by key: <see cref="DefaultModelKey"/> for <see cref="ChatClient"/>, then the others it was
    /// created with (or, with <c>AddHoles()</c>, the keyed <see cref="IChatClient"/> services).
    /// </summary>
    public IReadOnlyDictionary<string, AgentModel> Models { get; }

    /// <summary>
    /// Fills the holes reached on this async flow with the model of <paramref name="key"/> until the returned scope is
    /// disposed: holes awaited in the <c>using</c> block, tasks started there, and the holes nested in their fills
    /// (unless a fill picks another model for its own). It wins over <see cref="HoleModelAttribute"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// using (session.UseModel("fast"))
    /// {
    ///     var titles = await agent&lt;List&lt;string&gt;&gt;("a title for each of posts", posts);
    /// }
    /// </code>
    /// </example>
    /// <param name="key">A key of <see cref="Models"/>.</param>
    /// <param name="callerFilePath">Filled in by the compiler; names the call in errors.</param>
    /// <param name="callerLineNumber">Filled in by the compiler; names the call in errors.</param>
    /// <returns>The scope; dispose it to go back to the model chosen before.</returns>
    /// <exception cref="HoleModelNotFoundException">The session has no model with that key.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public IDisposable UseModel(string key, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var location = callerFilePath.Length == 0 ? "" : $"{Path.GetFileName(callerFilePath)}:{callerLineNumber}";
        Engine.Models.Require(key, location, null, location.Length == 0 ? "session.UseModel" : $"session.UseModel at {location}");
        return Pipeline.Model.ModelScope.Open(this, key);
    }

    /// <summary>
    /// The session <c>agent&lt;T&gt;</c> calls use on this async flow. Set it once near the start of the program
    /// (it flows into awaited calls and tasks started afterwards). A value set inside an async method does not flow
    /// back to its caller: set it in the method that awaits the holes or one that calls it, or use
    /// <see cref="Enter"/> or <see cref="Default"/>.
    /// </summary>
    public static AgentSession? Current
    {
        get => s_current.Value;
        set
        {
            s_current.Value = value;
            Assigned(value);
        }
    }

    /// <summary>The chat client that fills holes.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>The options this session was created with.</summary>
    public HoleOptions Options { get; }

    /// <summary>The persisted variables, in declaration order: each with its name, static type and current value.</summary>
    public IReadOnlyList<SessionVariable> Variables => _variables.Snapshot();

    /// <summary>What the session has done so far: holes, attempts, rejections by cause, retries, tokens and time.</summary>
    public HoleStats Stats => _stats.Snapshot();

    /// <summary>
    /// The protections in force around fills: <see cref="HoleProtections.None"/> in process; with
    /// <see cref="HoleIsolation.Process"/>, what the worker actually runs under (the sandbox, no network, a read-only
    /// file system, its own PID namespace, CPU and memory limits, and that it can be killed). It never claims a
    /// protection that is not active. Reading it the first time waits for the worker to have started.
    /// </summary>
    public HoleProtections Protections => _isolated?.Protections ?? HoleProtections.None;

    internal HoleEngine Engine { get; }

    /// <summary>Where fills run: in this process, or in the session's worker.</summary>
    internal IFillRunner Runner { get; }

    internal SessionTelemetry Telemetry { get; }

    /// <summary>
    /// Runs <paramref name="code"/> through exactly the path a model's fill takes (compile, verify, load, run,
    /// commit) with no model involved. REPLs, tools and tests use it.
    /// </summary>
    /// <typeparam name="T">The type the code must return.</typeparam>
    /// <param name="code">C# statements ending with <c>return</c> (a single expression is accepted too).</param>
    /// <param name="values">Values visible to the code by name, typed as given to <see cref="HoleBindings.Add{TValue}"/>.</param>
    /// <param name="cancellationToken">Cancels compiling, or the running code at its next loop iteration or call.</param>
    /// <param name="callerFilePath">Filled in by the compiler; names the call in errors.</param>
    /// <param name="callerLineNumber">Filled in by the compiler; names the call in errors.</param>
    /// <returns>
    /// The outcome: <see cref="HoleStatus.Accepted"/> with the value, <see cref="HoleStatus.Rejected"/> with the
    /// diagnostics (nothing ran), or <see cref="HoleStatus.Faulted"/> with the exception (nothing was committed):
    /// <see cref="HoleBudgetExceededException"/> when the code ran longer than <see cref="HoleOptions.Timeout"/>
    /// (counted from when it starts running).
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public async Task<HoleResult<T>> ExecuteAsync<T>(
        string code,
        HoleBindings? values = null,
        CancellationToken cancellationToken = default,
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(code);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();

        IReadOnlyList<Binding> bindings = values?.Items ?? [];
        if (Options.Isolation == HoleIsolation.Process)
        {
            bindings = Execution.Isolated.HandedContracts.ForWorker(bindings);
        }

        var site = new HoleSite(
            callerFilePath.Length == 0 ? "ExecuteAsync" : callerFilePath, callerLineNumber, 0, nameof(ExecuteAsync),
            RuntimeTypeNames.FullyQualified(typeof(T)),
            [.. bindings.Select(b => new HoleParameter(b.Name, b.TypeName, b.Name))], [], [], "");
        // HoleOptions.Timeout bounds the run of the code, counted from when it starts running (there is no model to
        // wait for); compiling has its own budget (HOLE0006) and the caller's token.
        var context = new HoleContext(this, site, InProcessRunner.ExecuteTask, bindings, HoleContext.Current) { Code = code, BudgetFromRun = true };
        _stats.Hole();
        var trace = HoleTrace.Start(Telemetry, HoleTrace.ExecuteOperation, site, context.Task, context.Depth);
        trace.StartAttempt(1);
        HoleResult<T> result;
        try
        {
            result = await Engine.Executor.ExecuteAsync<T>(ExpressionAsReturn(code), site, bindings, context, nestedHolesAllowed: true, cancellationToken)
                .ConfigureAwait(false);
            trace.Completed(result.Status, result.Exception);
        }
        catch (Exception ex)
        {
            trace.Failed(ex);
            throw;
        }

        if (result.Status == HoleStatus.Faulted)
        {
            if (result.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw result.Exception;
            }

            var exception = result.Exception!;
            return new HoleResult<T>(HoleStatus.Faulted, default, [], exception as HoleException
                ?? new HoleFaultedException(site.Location, InProcessRunner.ExecuteTask, code, result.FaultLine, exception), code);
        }

        return result;
    }

    /// <summary>
    /// Grants the session a capability: it becomes a session variable that every later fill of this session can use
    /// by name, and the one kind of capability a fill may keep in a session variable. A capability handed to a single
    /// hole, by contrast, must not outlive that hole.
    /// </summary>
    /// <typeparam name="TCapability">The type fills see: a type marked <see cref="CapabilityAttribute"/> (on itself, a base or an interface), typically the capability's interface.</typeparam>
    /// <param name="name">A C# identifier; the variable fills see.</param>
    /// <param name="capability">The capability object.</param>
    /// <remarks>
    /// Granting under a name already in use replaces that variable. Revoke a grant with <see cref="RemoveVariable"/>:
    /// that also removes every session variable a fill stored the same object in.
    /// </remarks>
    /// <example>
    /// <code>
    /// session.Grant&lt;IFileSystem&gt;("files", new SandboxedFileSystem("/data"));
    /// var count = await agent&lt;int&gt;("count the markdown files in files");
    /// </code>
    /// </example>
    /// <exception cref="ArgumentNullException"><paramref name="capability"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an identifier, or <typeparamref name="TCapability"/> is not a capability.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void Grant<TCapability>(string name, TCapability capability)
        where TCapability : class
    {
        ArgumentNullException.ThrowIfNull(capability);
        ValidateName(name);
        ThrowIfDisposed();
        var type = typeof(TCapability);
        if (!RuntimeCapabilities.IsAuthority(type))
        {
            throw new ArgumentException(
                $"'{type.FullName}' is not a capability, so there is nothing to grant. Mark the type (or the interface fills should see) with [Capability], " +
                "or store plain data with SetVariable.", nameof(capability));
        }

        _variables.Grant(new SessionVariable(name, RuntimeTypeNames.FullyQualified(type), capability), type, capability);

        // A grant stays in the host; each fill in the worker gets a proxy of it, revoked when the fill ends.
        _isolated?.Remove(name);
    }

    /// <summary>Sets a session variable to a data value; later fills see it by name, typed as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The static type fills see.</typeparam>
    /// <param name="name">A C# identifier.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is not an identifier or names a granted capability, or the value is a capability (use
    /// <see cref="Grant{TCapability}"/> for those).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void SetVariable<T>(string name, T value)
    {
        ValidateName(name);
        ThrowIfDisposed();
        var authority = RuntimeCapabilities.AuthorityIn(typeof(T)) ?? (value is null ? null : RuntimeCapabilities.AuthorityIn(value.GetType()));
        if (authority is not null)
        {
            throw new ArgumentException($"The value for '{name}' is (or holds) the capability '{authority.FullName}'; give the session a capability with Grant, not SetVariable.", nameof(value));
        }

        if (_variables.IsGrantedName(name))
        {
            throw new ArgumentException($"'{name}' is a capability granted to the session; revoke it with RemoveVariable before reusing the name for data.", nameof(name));
        }

        // With HoleIsolation.Process the variable lives in the worker too: it must be data that can be copied there.
        _isolated?.Set(name, RuntimeTypeNames.FullyQualified(typeof(T)), value);
        _variables.Commit([new SessionVariable(name, RuntimeTypeNames.FullyQualified(typeof(T)), value)], []);
    }

    /// <summary>Removes a persisted variable. Removing a granted capability revokes the grant, and removes every variable that holds the same object.</summary>
    /// <param name="name">The variable's name.</param>
    /// <returns><see langword="true"/> if it existed.</returns>
    public bool RemoveVariable(string name)
    {
        var before = _variables.Snapshot();
        var removed = _variables.Remove(name);
        if (_isolated is not null)
        {
            // Revoking a grant also removes the variables that held the same object: the worker drops them all.
            var after = _variables.Snapshot();
            foreach (var gone in before.Where(v => !after.Any(a => a.Name == v.Name)))
            {
                _isolated.Remove(gone.Name);
            }
        }

        return removed;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
        {
            throw new ArgumentException($"'{name}' is not a C# identifier; session variables are visible to fills as variables.", nameof(name));
        }
    }

    /// <summary>
    /// Ends the session. In process, holes already running finish; new ones are refused. With
    /// <see cref="HoleIsolation.Process"/> the worker is stopped, so fills still running there end too.
    /// </summary>
    /// <returns>A task that completes once the worker (if any) has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (ReferenceEquals(s_current.Value, this))
            {
                s_current.Value = null;
            }

            if (_isolated is not null)
            {
                await _isolated.DisposeAsync().ConfigureAwait(false);
            }
        }

        ClearDefault();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>A lone expression (as typed at a REPL) is run as <c>return expression;</c>.</summary>
    private static string ExpressionAsReturn(string code)
    {
        var trimmed = code.Trim();
        if (trimmed.Length == 0 || trimmed.EndsWith(';') || trimmed.EndsWith('}'))
        {
            return code;
        }

        var expression = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(trimmed, options: FillSource.ParseOptions);
        return expression.ContainsDiagnostics || expression.FullSpan.Length != trimmed.Length ? code : "return " + trimmed + ";";
    }
}
