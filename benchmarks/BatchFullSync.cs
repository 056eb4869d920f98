namespace PasswordHashSync.Benchmarks;

internal static class BatchFullSync
{
    public static void Run(string[] args) => throw new NotImplementedException(string.Join(' ', args));
}
