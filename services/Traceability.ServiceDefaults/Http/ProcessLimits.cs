using System.Runtime.InteropServices;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// The process's file-descriptor limit (RLIMIT_NOFILE) and file-creation mask, through libc on Linux.
/// Every socket is a file descriptor, so the limit bounds the connections the host can hold.
/// </summary>
public static class ProcessLimits
{
    private const int RlimitNofile = 7; // Linux, all architectures .NET runs on

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);

    /// <summary>
    /// Raises the soft file limit to the hard one where the system allows it and returns the soft
    /// limit now in force, or null off Linux. The .NET runtime already does this at start on Linux;
    /// doing it here too keeps the figure the connection limit is computed from the one in force.
    /// </summary>
    public static long? RaiseFileLimit()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNofile, out var limit) != 0) return null;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(RlimitNofile, ref raised) == 0) limit = raised;
        }
        return limit.Current > long.MaxValue ? long.MaxValue : (long)limit.Current;
    }

    /// <summary>
    /// From now on, files and directories this process creates are its user's only (0600 / 0700):
    /// SQLite creates its database and -wal/-shm files, the data-protection key ring its XML files,
    /// with the usual 0644 otherwise. No-op off Unix.
    /// </summary>
    public static void RestrictNewFilesToOwner()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) Umask(0b000_111_111); // 077
    }
}
