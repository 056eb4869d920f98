using BenchmarkDotNet.Running;
using PasswordHashSync.Benchmarks;

if (args.Length > 0 && args[0] == "batch-rates")
{
    BatchQuickRates.Run();
    return;
}

if (args.Length > 0 && args[0] == "batch-nt-parts")
{
    BatchNtParts.Run();
    return;
}

if (args.Length > 0 && args[0] == "gen-directory")
{
    GenerateDirectoryCommand.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "sync-stages")
{
    SyncStageBreakdown.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "batch-fullsync")
{
    BatchFullSync.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "runner-memory")
{
    RunnerMemory.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "runner-fullsync")
{
    RunnerFullSync.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "replication")
{
    await PasswordHashSync.Benchmarks.Replication.ReplicationBenchmark.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "replication-client")
{
    await PasswordHashSync.Benchmarks.Replication.LibraryReplicationRun.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "replication-source")
{
    await PasswordHashSync.Benchmarks.Replication.ChangeSourceReplicationRun.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "replication-breakdown")
{
    await PasswordHashSync.Benchmarks.Replication.ReplicationBreakdownRun.RunAsync(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
