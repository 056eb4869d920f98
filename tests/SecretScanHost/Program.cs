using PasswordHashSync.SecretScanHost;

// SecretScanHost <decide|write|batch> <dispose|keep> <secret hex>
// Prints "copies: N" (decide, write) or "copies: utf8 N utf16 M" (batch) as its last line of standard output.
// keep: the control run. decide/write keep the undisposed objects alive; batch keeps the request bytes and their
// decoded string, as the batch command did before it parsed passwords without a string.
if (args.Length != 3 || args[1] is not ("dispose" or "keep"))
{
    Console.Error.WriteLine("usage: SecretScanHost <decide|write|batch> <dispose|keep> <secret hex>");
    return 2;
}

bool dispose = args[1] == "dispose";
return args[0] switch
{
    "decide" => Scenarios.Decide(args[2], dispose),
    "write" => Scenarios.Write(args[2], dispose),
    "batch" => Scenarios.Batch(args[2], dispose),
    _ => 2,
};
