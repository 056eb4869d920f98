namespace PasswordHashSync.Cli.Batch;

/// <summary>The <c>error.code</c> values of the batch contract.</summary>
internal static class BatchErrorCodes
{
    /// <summary>The line is not a JSON object (the response id is null).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The op is not one of nthash, lmhash, kerberos, digest, verify.</summary>
    public const string UnknownOp = "unknown_op";

    /// <summary>A required field is absent.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A field has the wrong type, format or range, or fields contradict each other.</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>lmhash: the password has no LM hash (longer than 14 OEM bytes or not representable).</summary>
    public const string NoLmHash = "no_lm_hash";

    /// <summary>The request asks for more iterations than <see cref="BatchSettings.MaxIterationsPerRequest"/>; refused without doing the work.</summary>
    public const string OverBudget = "over_budget";
}
