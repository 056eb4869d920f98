namespace PasswordHashSync.Batch;

/// <summary>Up-front checks shared by the batch APIs, so bad input fails before any work with a clear message.</summary>
internal static class BatchArguments
{
    public static void RequireDestination(int destinationLength, int count, int itemSize, string parameterName)
    {
        long needed = (long)count * itemSize;
        if (destinationLength < needed)
        {
            throw new ArgumentException(
                $"The destination must hold {itemSize} bytes per item: {needed} bytes for {count} items, not {destinationLength}.",
                parameterName);
        }
    }

    public static void RequireNoNullPasswords(IReadOnlyList<string> passwords, string parameterName)
    {
        for (int i = 0; i < passwords.Count; i++)
        {
            if (passwords[i] is null)
            {
                throw new ArgumentException($"Password {i} is null.", parameterName);
            }
        }
    }

    public static void RequirePackedLengths(int characterCount, ReadOnlySpan<int> lengths, string charactersName, string lengthsName)
    {
        long total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentException($"Length {i} is negative ({lengths[i]}).", lengthsName);
            }

            total += lengths[i];
        }

        if (total != characterCount)
        {
            throw new ArgumentException(
                $"The lengths add up to {total} characters but the packed span holds {characterCount}; they must be equal.",
                charactersName);
        }
    }

    public static void RequireDegree(int? maxDegreeOfParallelism, string parameterName)
    {
        if (maxDegreeOfParallelism is int degree && degree <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, degree, "The degree of parallelism must be positive (or null for every core).");
        }
    }

    public static int ResolveDegree(int? maxDegreeOfParallelism) => maxDegreeOfParallelism ?? Environment.ProcessorCount;
}
