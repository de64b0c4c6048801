using System.Runtime.InteropServices;

namespace Holes.Worker;

/// <summary>
/// RLIMIT_CPU, re-armed around every fill: the kernel stops this process (SIGXCPU) once it has used the per-fill CPU
/// budget beyond what it had used when the last fill started or ended. That also bounds work a fill leaves behind
/// (a spinning task) after it returns. Linux only; elsewhere the host's wall-time budget is what stops a fill.
/// </summary>
internal sealed class CpuBudget
{
    private const int RlimitCpu = 0;
    private const int RlimitCore = 4;

    private readonly double _perFill;
    private readonly Lock _gate = new();
    private readonly ulong _hard;

    public CpuBudget(double perFillSeconds)
    {
        _perFill = perFillSeconds;
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // No core files from a worker the kernel stops.
            var none = new RLimit { Current = 0, Maximum = 0 };
            _ = setrlimit(RlimitCore, ref none);
            if (getrlimit(RlimitCpu, out var current) == 0)
            {
                _hard = current.Maximum;
                Available = Arm();
            }
        }
        catch (DllNotFoundException)
        {
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    /// <summary>Whether the limit is armed.</summary>
    public bool Available { get; }

    public void Enter() => Rearm();

    public void Exit() => Rearm();

    private void Rearm()
    {
        if (Available)
        {
            lock (_gate)
            {
                Arm();
            }
        }
    }

    private bool Arm()
    {
        var used = Environment.CpuUsage.TotalTime.TotalSeconds;
        var soft = (ulong)Math.Ceiling(used + _perFill);
        var limit = new RLimit { Current = Math.Min(soft, _hard), Maximum = _hard };
        return setrlimit(RlimitCpu, ref limit) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

#pragma warning disable SYSLIB1054, CA5392 // Two libc calls in a trusted worker; the classic marshaller is fine.
    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);
#pragma warning restore SYSLIB1054, CA5392
}
